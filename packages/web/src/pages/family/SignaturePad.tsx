/**
 * The child signs on the phone's screen: a small canvas drawn on with a finger, a pen or a
 * mouse (pointer events; the page does not scroll while drawing). Each stroke ends as part of
 * an SVG path (signature.ts). Who cannot draw chooses "type the name" beside it instead.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { extend, PAD, pathOf, toPad, type Point } from './signature';

export function SignaturePad({
  id,
  label,
  onChange,
  invalid,
  describedBy,
}: {
  id: string;
  label: string;
  /** the path so far ('' when cleared) */
  onChange: (path: string) => void;
  invalid: boolean;
  describedBy?: string;
}) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Point[][]>([]);
  const drawing = useRef<number | null>(null);

  const paint = () => {
    const c = canvas.current;
    const g = c?.getContext('2d');
    if (!c || !g) return;
    g.clearRect(0, 0, c.width, c.height);
    g.lineWidth = 3;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.strokeStyle = '#1c2024';
    g.beginPath();
    for (const s of strokes.current) s.forEach(([x, y], i) => (i === 0 ? g.moveTo(x, y) : g.lineTo(x, y)));
    for (const s of strokes.current) if (s.length === 1) g.rect(s[0]![0] - 1, s[0]![1] - 1, 2, 2);
    g.stroke();
  };
  useEffect(paint, []);

  const at = (e: React.PointerEvent<HTMLCanvasElement>): Point => {
    const r = e.currentTarget.getBoundingClientRect();
    return toPad(e.clientX - r.left, e.clientY - r.top, r.width, r.height);
  };

  return (
    <div className="signature-pad">
      <canvas
        id={id}
        ref={canvas}
        width={PAD.width}
        height={PAD.height}
        role="img"
        aria-label={label}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        tabIndex={-1}
        onPointerDown={(e) => {
          e.preventDefault();
          e.currentTarget.setPointerCapture(e.pointerId);
          drawing.current = e.pointerId;
          strokes.current.push([at(e)]);
          paint();
        }}
        onPointerMove={(e) => {
          if (drawing.current !== e.pointerId) return;
          if (extend(strokes.current.at(-1)!, at(e))) paint();
        }}
        onPointerUp={(e) => {
          if (drawing.current !== e.pointerId) return;
          drawing.current = null;
          onChange(pathOf(strokes.current));
        }}
        onPointerCancel={() => {
          drawing.current = null;
          onChange(pathOf(strokes.current));
        }}
      />
      <button
        type="button"
        onClick={() => {
          strokes.current = [];
          paint();
          onChange('');
        }}
      >
        {t('family.form.clearPad')}
      </button>
    </div>
  );
}

/** A signature as it was given: the drawn path, or the typed name. */
export function SignatureShown({
  signature,
  label,
}: {
  signature: { kind: 'drawn'; image: string } | { kind: 'typed'; name: string };
  label: string;
}) {
  if (signature.kind === 'typed') return <span className="typed-signature">{signature.name}</span>;
  if (signature.image.startsWith('data:image/png')) return <img className="drawn-signature" src={signature.image} alt={label} />;
  return (
    <svg className="drawn-signature" viewBox={`0 0 ${PAD.width} ${PAD.height}`} role="img" aria-label={label}>
      <path d={signature.image} fill="none" stroke="currentColor" strokeWidth={3} strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
