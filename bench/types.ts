// Shape every benchmark returns, so a runner can print and compare them.
export interface BenchResult {
  name: string;
  metrics: Record<string, number>;
  notes?: string;
}
