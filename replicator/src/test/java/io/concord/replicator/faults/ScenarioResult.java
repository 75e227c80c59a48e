package io.concord.replicator.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one scenario did and found: the numbers of the report and the violations of every check.
 *
 * @param name          the scenario
 * @param seed          the run's seed
 * @param faults        the planned faults
 * @param faultLog      what the injector did, when
 * @param workload      the writers' counts
 * @param writes        committed writes of the scenario's keys (in-doubt ones settled as committed included)
 * @param settled       in-doubt commits settled: {committed, aborted}
 * @param events        distinct change events published per DC so far in the run
 * @param converged     whether the DCs converged in time
 * @param convergeTime  from the load's end (all faults healed) to converged
 * @param maxLagMillis  the largest replication lag measured during the load
 * @param maxLagWhere   where it was measured
 * @param conflicts     the conflict counts
 * @param deadLetters   dead letters per DC so far in the run
 * @param extra         lines a scenario adds (hostile input)
 * @param violations    everything the checks found wrong
 */
record ScenarioResult(String name, long seed, List<Fault> faults, List<String> faultLog, Workload.Stats workload,
                      int writes, int[] settled, Map<String, Integer> events, boolean converged, Duration convergeTime,
                      long maxLagMillis, String maxLagWhere, ConflictCheck.Stats conflicts,
                      Map<String, Integer> deadLetters, List<String> extra, List<String> violations) {
}
