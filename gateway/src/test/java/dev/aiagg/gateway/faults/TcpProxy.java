package dev.aiagg.gateway.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of one local service, for fault tests and experiments: it forwards until told to
 * {@link #cut} (the service is down: every connection is reset, new ones are reset as soon as they are accepted) or to
 * {@link #stall} (the network is silent: connections stay open but no byte passes either way, as with a partition or
 * a hung server; bytes already sent wait and flow on once restored, as TCP would deliver them). Every fault is bounded:
 * it lifts itself after the time given, should the test that caused it never {@link #restore}. JDK only.
 */
public final class TcpProxy implements AutoCloseable {

    private enum Mode { FORWARD, CUT, STALL }

    private final String name;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads;
    private final ScheduledExecutorService timer;
    private final Object gate = new Object();
    private volatile Mode mode = Mode.FORWARD;
    private ScheduledFuture<?> lift;

    private TcpProxy(String name, int targetPort) throws IOException {
        this.name = name;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        this.threads = Executors.newCachedThreadPool(task -> daemon(task, "tcp-proxy-" + name));
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "tcp-proxy-" + name + "-timer"));
        threads.execute(this::accept);
    }

    /** A proxy on a free loopback port, forwarding to {@code 127.0.0.1:targetPort}. */
    public static TcpProxy to(String name, int targetPort) {
        try {
            return new TcpProxy(name, targetPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a proxy for " + name, e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The service is down, for at most {@code atMost}: open connections are reset, new ones refused. */
    public void cut(Duration atMost) {
        fault(Mode.CUT, atMost);
        links.forEach(Link::reset);
    }

    /** The network is silent, for at most {@code atMost}: nothing passes, nothing is closed. */
    public void stall(Duration atMost) {
        fault(Mode.STALL, atMost);
    }

    /** Resets every open connection and keeps forwarding new ones, as a restarted service would. */
    public void dropConnections() {
        links.forEach(Link::reset);
    }

    /** Forwards again. */
    public void restore() {
        synchronized (gate) {
            mode = Mode.FORWARD;
            if (lift != null) {
                lift.cancel(false);
                lift = null;
            }
            gate.notifyAll();
        }
    }

    @Override
    public void close() {
        restore();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        links.forEach(Link::reset);
        threads.shutdownNow();
        timer.shutdownNow();
    }

    @Override
    public String toString() {
        return "TcpProxy[" + name + " " + port() + " -> " + targetPort + ", " + mode + "]";
    }

    private void fault(Mode fault, Duration atMost) {
        synchronized (gate) {
            mode = fault;
            if (lift != null) {
                lift.cancel(false);
            }
            lift = timer.schedule(this::restore, atMost.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                if (mode == Mode.CUT) {
                    reset(client);
                } else {
                    Link link = new Link(client);
                    links.add(link);
                    threads.execute(link::open);
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Returns once bytes may pass; false when the connection is to be dropped instead. */
    private boolean awaitForwarding() {
        synchronized (gate) {
            while (mode == Mode.STALL) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return mode == Mode.FORWARD;
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException alreadyClosed) {
            // nothing to reset
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed anyway
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** One client connection and its connection to the service, pumped both ways by two threads. */
    private final class Link {

        private final Socket client;
        private final Socket service = new Socket();
        private final AtomicInteger directionsOpen = new AtomicInteger(2);

        private Link(Socket client) {
            this.client = client;
        }

        private void open() {
            try {
                // A connection accepted during a stall reaches the service only once it is lifted.
                if (!awaitForwarding()) {
                    reset();
                    return;
                }
                service.setTcpNoDelay(true);
                service.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
                threads.execute(() -> pump(service, client));
                pump(client, service);
            } catch (IOException failed) {
                reset();
            }
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (!awaitForwarding()) {
                        reset();
                        return;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
                to.shutdownOutput();
                if (directionsOpen.decrementAndGet() == 0) {
                    links.remove(this);
                    client.close();
                    service.close();
                }
            } catch (IOException closed) {
                reset();
            }
        }

        private void reset() {
            links.remove(this);
            TcpProxy.reset(client);
            TcpProxy.reset(service);
        }
    }
}
