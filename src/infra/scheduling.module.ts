import { Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';

/**
 * @nestjs/schedule starts @Interval timers without `unref()`; ours never held a process open
 * (shutdown clears them, but a start that fails half-way must still let the process exit).
 * ScheduleModule is global, and global modules run their bootstrap hooks first: its timers are
 * running by the time this (non-global) one runs.
 */
@Injectable()
class UnrefIntervals implements OnApplicationBootstrap {
  constructor(private readonly registry: SchedulerRegistry) {}

  onApplicationBootstrap(): void {
    for (const name of this.registry.getIntervals()) this.registry.getInterval<NodeJS.Timeout>(name).unref();
  }
}

/**
 * The periodic timers of every process: @Interval(name, ms) for a fixed period,
 * SchedulerRegistry.addInterval for one that depends on the configuration. ScheduleModule
 * clears them all before the shutdown hooks run.
 */
@Module({ imports: [ScheduleModule.forRoot()], providers: [UnrefIntervals] })
export class SchedulingModule {}
