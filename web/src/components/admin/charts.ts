// Chart arithmetic for the console's analytics (drawn as plain SVG): a rounded axis top, the
// bars' and the line's coordinates. No imports: unit-tested alone.

export type Point = { name: string; value: number };

/** The smallest 1, 2 or 5 × 10ⁿ at or above `max` (at least 1), so axis labels stay round. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= max) return step * power;
  }
  return 10 * power;
}

/** Evenly spaced axis values from 0 to `top`: five steps of a 1 or 5 top, four of a 2. */
export function ticks(top: number, count = leading(top) === 2 ? 4 : 5): number[] {
  return Array.from({ length: count + 1 }, (_, i) => (top * i) / count);
}

function leading(top: number): number {
  return Math.round(top / 10 ** Math.floor(Math.log10(top)));
}

export type Bar = { x: number; y: number; width: number; height: number; point: Point };

/** Bars filling `width` × `height` (SVG coordinates: y grows down), a gap between each. */
export function bars(points: Point[], width: number, height: number, gap = 2): Bar[] {
  if (points.length === 0) return [];
  const top = niceMax(Math.max(...points.map((p) => p.value)));
  const slot = width / points.length;
  return points.map((point, i) => {
    const h = (Math.max(0, point.value) / top) * height;
    return { x: i * slot + gap / 2, y: height - h, width: Math.max(1, slot - gap), height: h, point };
  });
}

/** The `d` of a polyline through the points' centres of `width` / n slots. */
export function linePath(points: Point[], width: number, height: number): string {
  if (points.length === 0) return '';
  const top = niceMax(Math.max(...points.map((p) => p.value)));
  const slot = width / points.length;
  return points
    .map((p, i) => {
      const x = i * slot + slot / 2;
      const y = height - (Math.max(0, p.value) / top) * height;
      return `${i === 0 ? 'M' : 'L'}${round(x)},${round(y)}`;
    })
    .join(' ');
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Mattermost answers the *_day analytics newest first; charts read oldest first. */
export function byDay(points: Point[]): Point[] {
  return [...points].sort((a, b) => a.name.localeCompare(b.name));
}
