// Every fact a ruleset can read gets a slot, once per ruleset: a request's facts are then an array
// read by index, never a dictionary looked up by name.
import type { FactValue } from '../facts.js';

export type Slots = (FactValue | undefined)[];

export class SlotTable {
  readonly names: string[] = [];
  readonly #index = new Map<string, number>();

  /** The slot of `name`, added when new. */
  add(name: string): number {
    let i = this.#index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.#index.set(name, i);
    }
    return i;
  }

  /** The slot of `name`, or undefined when no slot was made for it. */
  find(name: string): number | undefined {
    return this.#index.get(name);
  }

  get size(): number {
    return this.names.length;
  }
}
