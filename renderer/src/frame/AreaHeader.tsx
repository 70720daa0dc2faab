/** An area's title and what it is for. The frame moves focus to the title when the area opens. */
export function AreaHeader({ title, purpose }: { title: string; purpose: string }) {
  return (
    <header className="area-header">
      <h1 tabIndex={-1}>{title}</h1>
      <p>{purpose}</p>
    </header>
  );
}
