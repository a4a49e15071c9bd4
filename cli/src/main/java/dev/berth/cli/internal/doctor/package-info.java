/**
 * {@code berth doctor}: this machine's listeners and Berth's state dir, checked and explained
 * one line per finding with its fix. Starting points: {@link dev.berth.cli.internal.doctor.Doctor}
 * (gathers the {@link dev.berth.cli.internal.doctor.Facts} once and runs every {@link
 * dev.berth.cli.internal.doctor.Check} over them into a {@code berth.v1.DoctorReport}), {@link
 * dev.berth.cli.internal.doctor.RegistryFacts} (what the registry and the state dir say) and
 * {@link dev.berth.cli.internal.doctor.DoctorText} (the report as lines). Doctor changes
 * nothing and never connects to a listener other than the state dir's own registry.
 */
@Internal
package dev.berth.cli.internal.doctor;

import dev.berth.local.Internal;
