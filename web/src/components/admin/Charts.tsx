// Plain SVG charts for the analytics page: bars for counts per day, a line for a trend.
import type { ReactNode } from 'react';
import { bars, byDay, linePath, niceMax, ticks, type Point } from './charts';

const W = 600;
const H = 180;

function Axis({ top }: { top: number }) {
  return (
    <g className="chart-axis">
      {ticks(top).map((t) => {
        const y = H - (t / top) * H;
        return (
          <g key={t}>
            <line x1={0} x2={W} y1={y} y2={y} />
            <text x={-6} y={y + 4} textAnchor="end">{Math.round(t * 10) / 10}</text>
          </g>
        );
      })}
    </g>
  );
}

function Frame({ title, points, children }: { title: string; points: Point[]; children: ReactNode }) {
  const first = points[0]?.name ?? '';
  const last = points[points.length - 1]?.name ?? '';
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {points.length === 0 ? (
        <p className="console-help">No data yet.</p>
      ) : (
        <svg viewBox={`-40 -10 ${W + 50} ${H + 30}`} role="img" aria-label={`${title}, ${first} to ${last}`}>
          <Axis top={niceMax(Math.max(...points.map((p) => p.value)))} />
          {children}
          <text x={0} y={H + 18} className="chart-label">{first}</text>
          <text x={W} y={H + 18} textAnchor="end" className="chart-label">{last}</text>
        </svg>
      )}
    </figure>
  );
}

export function BarChart({ title, data }: { title: string; data: Point[] }) {
  const points = byDay(data);
  return (
    <Frame title={title} points={points}>
      {bars(points, W, H).map((b) => (
        <rect key={b.point.name} className="chart-bar" x={b.x} y={b.y} width={b.width} height={b.height}>
          <title>{`${b.point.name}: ${b.point.value}`}</title>
        </rect>
      ))}
    </Frame>
  );
}

export function LineChart({ title, data }: { title: string; data: Point[] }) {
  const points = byDay(data);
  return (
    <Frame title={title} points={points}>
      <path className="chart-line" d={linePath(points, W, H)} fill="none" />
    </Frame>
  );
}
