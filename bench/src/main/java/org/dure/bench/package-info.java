/**
 * The benchmarks behind {@code bench/run}: {@link org.dure.bench.Bench} picks the suites (editing
 * trace, pages, sync, cold sync, mesh, DHT lookup, fuzz...), each of which builds real stores and
 * nodes, measures, and prints Markdown for {@code docs/PERFORMANCE.md}. Timings are measured here,
 * never in unit tests.
 */
package org.dure.bench;
