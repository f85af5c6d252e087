/** Edge or node statistics in the X-Ray API's shape, from counts and a total response time. */
export const statistics = (ok: number, error: number, throttle: number, fault: number, time: number) => ({
  OkCount: ok,
  ErrorStatistics: { ThrottleCount: throttle, OtherCount: error, TotalCount: error + throttle },
  FaultStatistics: { OtherCount: fault, TotalCount: fault },
  TotalCount: ok + error + throttle + fault,
  TotalResponseTime: time,
});
