// The part of @agoric/xsnap's API this project uses (the package ships JS with JSDoc only).
declare module '@agoric/xsnap' {
  export interface MeterUsage {
    compute: number | null;
    allocate: number | null;
    currentHeapCount: number | null;
  }
  export interface XSnap {
    evaluate(code: string): Promise<{ meterUsage: MeterUsage }>;
    issueStringCommand(message: string): Promise<{ reply: string; meterUsage: MeterUsage }>;
    close(): Promise<void>;
    terminate(): Promise<void>;
  }
  export function xsnap(options: Record<string, unknown>): Promise<XSnap>;
}
