import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  /** Esc and the close button call this; the owner unmounts the dialog. */
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
  /** A size of its own (a document being read), on top of the dialog's look. */
  className?: string;
}

/**
 * A modal dialog on the native <dialog>: it keeps focus inside, closes on Esc, and gives focus
 * back to what had it before. Put `autoFocus` on the control the user should start in.
 */
export function Dialog({ title, onClose, children, wide = false, className }: DialogProps) {
  const titleId = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  // The content mounts once the dialog is open: `autoFocus` cannot focus inside a closed
  // (undisplayed) dialog, and showModal() alone would pick the first button instead.
  const [open, setOpen] = useState(false);

  // Layout effect: close() must run while the element is still in the page for focus to return.
  useLayoutEffect(() => {
    const element = dialog.current;
    element?.showModal();
    setOpen(true);
    return () => element?.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      className={[wide ? 'dialog dialog-wide' : 'dialog', className].filter(Boolean).join(' ')}
      aria-labelledby={titleId}
      onCancel={(event) => {
        // The owner decides: unmounting is what closes it.
        event.preventDefault();
        onClose();
      }}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="button-quiet" onClick={onClose} title="Close (Esc)">
          Close
        </button>
      </header>
      {open && children}
    </dialog>
  );
}

interface DialogFooterProps {
  /** The server's general message for this form, if any (field messages sit by their fields). */
  problem: string | null;
  busy: boolean;
  label: string;
  busyLabel: string;
  onCancel: () => void;
  cancelLabel?: string;
  /** For actions that take something away (cancel, archive). */
  danger?: boolean;
}

/** The end of every dialog form: its general message, the action, and the way out. */
export function DialogFooter({ problem, busy, label, busyLabel, onCancel, cancelLabel = 'Cancel', danger = false }: DialogFooterProps) {
  return (
    <>
      <div role="alert" className="form-problem">
        {problem}
      </div>
      <div className="dialog-actions">
        <button type="submit" className={danger ? 'button-primary button-danger-solid' : 'button-primary'} aria-disabled={busy}>
          {busy ? busyLabel : label}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </>
  );
}
