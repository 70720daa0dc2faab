/** The foot of a settings form: what went wrong, "Saved." once it is, and the save button. */
export function SaveBar({ problem, saved, saving, label }: { problem: string | null; saved: boolean; saving: boolean; label: string }) {
  return (
    <div className="form-buttons">
      <div role="alert" className="form-problem">
        {problem}
      </div>
      {saved && !saving && (
        <p role="status" className="done-note">
          Saved.
        </p>
      )}
      <button type="submit" className="button-primary" aria-disabled={saving}>
        {saving ? 'Saving…' : label}
      </button>
    </div>
  );
}
