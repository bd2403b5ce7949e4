import { FlowLayout, type flow } from '@lit-labs/virtualizer/layouts/flow.js';

// The package exports these types only through its layouts' signatures.
type ChildMeasurements = Parameters<FlowLayout['updateItemSizes']>[0];
type FlowLayoutConfig = NonNullable<Parameters<typeof flow>[0]>;

/** Rows measured before the estimate for the rest is fixed: about a screenful and its overhang. */
const SAMPLE = 20;

/**
 * `FlowLayout` with a steady idea of the list's height. The stock layout takes the height of the
 * whole list as rows × the average of the rows it has measured, so in a 5,000-message thread of
 * which ~25 rows were ever measured, each newly measured row moves the height of 5,000: a short
 * reply after long customer messages took ~12,000 px off it, and the virtualizer corrected the
 * scroll position and laid out a new range for a change the agent never sees.
 *
 * Here the height is the rows measured, as measured, plus the rest at an estimate fixed from the
 * first rows measured (`SAMPLE`): a newly measured row changes the height by its own difference
 * from the estimate, and a row appended by its own height. A short thread, every row measured, is
 * exactly its rows. The estimate is taken again when the width changes (every row's height does),
 * and the measurements are dropped for another conversation (`transcript`): they are by place.
 */
export class SteadyFlowLayout extends FlowLayout {
  /** Measured sizes in the scrolling direction, by row index, of the current transcript. */
  private readonly measured = new Map<number, number>();
  private measuredTotal = 0;
  /** The highest index measured: past the end of the list, measurements are of rows no longer there. */
  private highest = -1;
  /** The size taken for a row not measured yet; undefined until `SAMPLE` rows are measured. */
  private estimate: number | undefined;
  private shown: unknown;

  /** The conversation whose rows are laid out: another one has other rows at the same places. */
  set transcript(id: unknown) {
    if (id === this.shown) return;
    this.shown = id;
    this.forgetMeasured();
    this._scheduleReflow();
  }

  override updateItemSizes(sizes: ChildMeasurements): void {
    for (const [key, metrics] of Object.entries(sizes)) {
      const index = Number(key);
      const size = metrics![this._sizeDim];
      this.measuredTotal += size - (this.measured.get(index) ?? 0);
      this.measured.set(index, size);
      this.highest = Math.max(this.highest, index);
    }
    if (this.estimate === undefined && this.measured.size >= SAMPLE) this.estimate = this.measuredTotal / this.measured.size;
    super.updateItemSizes(sizes);
  }

  override _getAverageSize(): number {
    return this.estimate ?? super._getAverageSize();
  }

  override _updateScrollSize(): void {
    const rows = this.items.length;
    if (this.highest >= rows) this.forgetFrom(rows);
    const margin = this._metricsCache.averageMarginSize;
    const unmeasured = rows - this.measured.size;
    this._scrollSize = Math.max(1, this.measuredTotal + unmeasured * this._getAverageSize() + (rows + 1) * margin);
  }

  override _viewDim2Changed(): void {
    this.forgetMeasured();
    this.estimate = undefined;
    super._viewDim2Changed();
  }

  private forgetMeasured() {
    this.measured.clear();
    this.measuredTotal = 0;
    this.highest = -1;
  }

  /** Drops the measurements from place `rows` on (the list became shorter). */
  private forgetFrom(rows: number) {
    for (const [index, size] of this.measured) {
      if (index < rows) continue;
      this.measuredTotal -= size;
      this.measured.delete(index);
    }
    this.highest = rows - 1;
  }
}

export interface SteadyFlowLayoutConfig extends FlowLayoutConfig {
  /** The conversation shown (its id): measurements of another one's rows are dropped. */
  transcript?: unknown;
}

/** A layout specifier for `<lit-virtualizer>`, as `flow()` is for the stock layout. */
export const steadyFlow = (config?: SteadyFlowLayoutConfig) => ({ ...config, type: SteadyFlowLayout });
