// The one output format of every benchmark: `BENCH <name> <value> <unit>`.
export type Report = (name: string, value: number, unit: string) => void;

export const report: Report = (name, value, unit) => {
  console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
};

export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
