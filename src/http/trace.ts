// W3C Trace Context: a well-formed `traceparent` header is accepted and its trace id and parent span
// id are put on every log line of the request, so that the service's lines join the caller's trace.
// A malformed one is ignored (the request is served all the same), as the specification asks.

export interface TraceParent {
  traceId: string;
  parentSpanId: string;
  sampled: boolean;
}

// version "00": 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>; a later version may append fields.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

export function parseTraceparent(header: string | string[] | undefined): TraceParent | null {
  if (typeof header !== 'string') return null;
  const m = TRACEPARENT.exec(header.trim());
  if (!m) return null;
  const [, version, traceId, parentSpanId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (/^0+$/.test(traceId) || /^0+$/.test(parentSpanId)) return null;
  return { traceId, parentSpanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}
