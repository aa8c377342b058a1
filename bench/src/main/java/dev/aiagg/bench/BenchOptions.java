package dev.aiagg.bench;

/**
 * Command-line options: {@code --pairs=20000 --threads=16 --accounts=1000 --warm-up=60 --replays=3 --database=aiagg_bench}
 * ({@code warm-up} in seconds).
 */
record BenchOptions(int pairs, int threads, int accounts, int warmUpSeconds, int replays, String host,
                    String database) {

    static BenchOptions parse(String[] args) {
        int pairs = 20_000;
        int threads = 16;
        int accounts = 1_000;
        int warmUp = 60;
        int replays = 3;
        String host = "127.0.0.1:5432";
        String database = "aiagg_bench";
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            switch (kv[0]) {
                case "pairs" -> pairs = Integer.parseInt(kv[1]);
                case "threads" -> threads = Integer.parseInt(kv[1]);
                case "accounts" -> accounts = Integer.parseInt(kv[1]);
                case "warm-up" -> warmUp = Integer.parseInt(kv[1]);
                case "replays" -> replays = Integer.parseInt(kv[1]);
                case "host" -> host = kv[1];
                case "database" -> database = kv[1];
                default -> throw new IllegalArgumentException("unknown option " + kv[0]);
            }
        }
        return new BenchOptions(pairs, threads, accounts, warmUp, replays, host, database);
    }

    String adminUrl() {
        return "jdbc:postgresql://" + host + "/postgres";
    }

    String databaseUrl() {
        return "jdbc:postgresql://" + host + "/" + database;
    }
}
