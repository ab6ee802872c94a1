/**
 * The emulator's request log read from a mark: what the Graph and OAuth requests of one step of a
 * test were (e.g. one `pulumi up`), through the control plane as any client would read it.
 */

import type { RequestLogEntry } from "../../emulator/control/request-log";
import type { RawGraph } from "./raw-graph";

export class RequestLogCursor {
  private seq = 0;

  constructor(private readonly graph: () => RawGraph) {}

  /** From now on: later calls of `since()` return only requests logged after this. */
  async mark(): Promise<void> {
    this.seq = (await this.graph().control("GET", "/requests")).body.latestSeq;
  }

  /** The requests logged since the last mark (a request is logged when it is answered or given up). */
  async since(): Promise<RequestLogEntry[]> {
    return (await this.graph().control("GET", `/requests?since=${this.seq}`)).body.value;
  }
}
