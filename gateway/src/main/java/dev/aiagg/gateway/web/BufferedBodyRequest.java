package dev.aiagg.gateway.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** The request as the rest of the chain sees it once {@link RequestBodyFilter} has its whole body in memory. */
final class BufferedBodyRequest extends HttpServletRequestWrapper {

    private final BufferedBody body;
    private BodyStream stream;

    BufferedBodyRequest(HttpServletRequest request, BufferedBody body) {
        super(request);
        this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
        if (stream == null) {
            stream = new BodyStream(body.stream());
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() {
        String encoding = getCharacterEncoding();
        Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    @Override
    public int getContentLength() {
        return body.size();
    }

    @Override
    public long getContentLengthLong() {
        return body.size();
    }

    /**
     * A body that arrived slowly is handed on in an async dispatch, but nothing past the filter has seen the request
     * yet: to them it is the request's first dispatch, so that they do their work (authentication, security
     * headers, caller in the logs) instead of skipping it as for a dispatch they already handled.
     */
    @Override
    public DispatcherType getDispatcherType() {
        return DispatcherType.REQUEST;
    }

    private static final class BodyStream extends ServletInputStream {

        private final ByteArrayInputStream bytes;

        BodyStream(ByteArrayInputStream bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return bytes.read(buffer, offset, length);
        }

        @Override
        public int available() {
            return bytes.available();
        }

        @Override
        public boolean isFinished() {
            return bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        /** The whole body is here already: the listener hears at once that it may read it all. */
        @Override
        public void setReadListener(ReadListener listener) {
            try {
                if (!isFinished()) {
                    listener.onDataAvailable();
                }
                listener.onAllDataRead();
            } catch (IOException | RuntimeException failure) {
                listener.onError(failure);
            }
        }
    }
}
