export function PlaceholderPanel({ title, work, points }: { title: string; work: string; points: string[] }) {
  return (
    <section className="panel">
      <h1>{title}</h1>
      <p className="muted">This panel arrives with {work}. It will show:</p>
      <ul>
        {points.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </section>
  );
}
