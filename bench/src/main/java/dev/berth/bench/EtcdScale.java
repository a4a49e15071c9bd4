package dev.berth.bench;

/**
 * How much of etcd's side to measure, taken from Berth's rows' own {@link Scale} so that both
 * sides of a row have the same counts, except where etcd's cost per sample would make the run
 * too long (each such cap is said at {@link #of}).
 */
record EtcdScale(
    int walls,
    int rangeWarmup,
    int ranges,
    long throughputMillis,
    int attachWarmup,
    int attaches,
    int kills,
    int starts,
    int leases) {

  static EtcdScale of(Scale s) {
    return new EtcdScale(
        // an etcdctl run is ~20 ms: 10 (quick) to 50 (full) runs
        Math.max(10, s.kills() * 2),
        // a linearizable Range is a raft read-index round, several Resolves' time: a fifth of
        // Resolve's samples, at most 5,000 (the bench JVM's client code is warm by then)
        Math.min(s.resolveWarmup() / 5, 1_000),
        Math.min(s.resolves() / 5, 5_000),
        s.throughputMillis(),
        // each warm-up cycle is three raft writes, each fsynced, and only the child's client
        // code has a JIT to warm (etcd is compiled ahead of time)
        Math.min(s.attachWarmup(), 200),
        s.attaches(),
        s.kills(),
        s.starts(),
        s.memoryInstances());
  }
}
