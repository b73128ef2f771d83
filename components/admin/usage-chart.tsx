// Stacked bars per day by model, drawn as inline SVG (no chart library): each segment has a <title>, the
// chart has a title and a legend, and the same numbers follow as a table for screen readers and copying.
import type { DayModelPoint } from '@/lib/usage/aggregates';

const COLORS = ['#2563eb', '#16a34a', '#d97706', '#db2777', '#7c3aed', '#0891b2', '#dc2626', '#65a30d', '#475569'];
const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 10, right: 10, bottom: 28, left: 10 };

export interface ChartLabels {
  title: string;
  table: string;
  day: string;
  bar: (day: string, model: string, value: string) => string;
  format: (value: number) => string;
}

export function UsageChart({
  points,
  metric,
  labels,
  id,
}: {
  points: readonly DayModelPoint[];
  metric: 'cost' | 'tokens';
  labels: ChartLabels;
  id: string;
}) {
  const value = (p: DayModelPoint) => (metric === 'cost' ? Number(p.cost) : Number(p.tokens));
  const days = [...new Set(points.map((p) => p.day))].sort();
  const models = [...new Set(points.map((p) => p.model))].sort();
  const color = (model: string) => COLORS[models.indexOf(model) % COLORS.length]!;
  const perDay = new Map(days.map((d) => [d, points.filter((p) => p.day === d)]));
  const max = Math.max(0, ...days.map((d) => perDay.get(d)!.reduce((s, p) => s + value(p), 0)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = days.length > 0 ? plotW / days.length : plotW;
  const barW = Math.max(2, slot * 0.7);
  const labelEvery = Math.max(1, Math.ceil(days.length / 10));

  return (
    <figure className="flex flex-col gap-2">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title`} className="h-auto w-full max-w-3xl">
        <title id={`${id}-title`}>{labels.title}</title>
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={HEIGHT - PAD.bottom} y2={HEIGHT - PAD.bottom} stroke="currentColor" strokeOpacity={0.3} />
        {days.map((day, i) => {
          let y = HEIGHT - PAD.bottom;
          const x = PAD.left + i * slot + (slot - barW) / 2;
          return (
            <g key={day}>
              {models.map((model) => {
                const point = perDay.get(day)!.find((p) => p.model === model);
                if (!point || max === 0) return null;
                const h = (value(point) / max) * plotH;
                y -= h;
                return (
                  <rect key={model} x={x} y={y} width={barW} height={Math.max(h, 0)} fill={color(model)}>
                    <title>{labels.bar(day, model, labels.format(value(point)))}</title>
                  </rect>
                );
              })}
              {i % labelEvery === 0 && (
                <text x={x + barW / 2} y={HEIGHT - 10} textAnchor="middle" fontSize={10} fill="currentColor" fillOpacity={0.7}>
                  {day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="flex flex-wrap gap-3 text-xs text-fg-soft">
          {models.map((model) => (
            <li key={model} className="flex items-center gap-1">
              <span aria-hidden className="inline-block size-3 rounded-sm" style={{ background: color(model) }} />
              {model}
            </li>
          ))}
        </ul>
      </figcaption>
      <details className="text-sm">
        <summary className="cursor-pointer text-fg-soft">{labels.table}</summary>
        <table className="mt-2 text-left">
          <thead>
            <tr>
              <th className="pr-4">{labels.day}</th>
              {models.map((m) => (
                <th key={m} className="pr-4">
                  {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day}>
                <td className="pr-4">{day}</td>
                {models.map((m) => {
                  const point = perDay.get(day)!.find((p) => p.model === m);
                  return (
                    <td key={m} className="pr-4 tabular-nums">
                      {point ? labels.format(value(point)) : ''}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
