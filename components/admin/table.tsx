import type { ReactNode } from 'react';

/** A plain, accessible data table with a caption; numbers right-aligned by the caller's `numeric` columns. */
export function DataTable({ caption, head, rows, numeric = [] }: { caption: string; head: ReactNode[]; rows: ReactNode[][]; numeric?: number[] }) {
  const align = (i: number) => (numeric.includes(i) ? 'text-right tabular-nums' : 'text-left');
  return (
    <div className="overflow-x-auto rounded-lg border border-line">
      <table className="w-full text-sm">
        <caption className="px-3 py-2 text-left text-base font-semibold">{caption}</caption>
        <thead className="bg-muted text-fg-soft">
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className={`px-3 py-2 font-medium ${align(i)}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r} className="border-t border-line">
              {row.map((cell, i) =>
                i === 0 ? (
                  <th key={i} scope="row" className={`px-3 py-2 font-normal ${align(i)}`}>
                    {cell}
                  </th>
                ) : (
                  <td key={i} className={`px-3 py-2 ${align(i)}`}>
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
