/** Work an adapter has started and `stop()` must let finish: answers being computed, posted or edited. */
export class InFlight {
  private readonly work = new Set<Promise<unknown>>();

  /** Tracks `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    this.work.add(work);
    void work.finally(() => this.work.delete(work)).catch(() => undefined);
    return work;
  }

  /** Resolves once everything tracked has settled, including work started while draining. */
  async drain(): Promise<void> {
    for (let round = 0; this.work.size > 0 && round < 100; round++) await Promise.allSettled([...this.work]);
  }

  get size(): number {
    return this.work.size;
  }
}
