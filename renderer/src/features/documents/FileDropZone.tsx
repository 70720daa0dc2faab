import { useState, type DragEvent } from 'react';
import { ACCEPTED_FILES, fileSizeLabel } from './chosenFile';

/** The box a PDF or an image is dropped on, or chosen with the file picker inside it. */
export function FileDropZone(props: { file: File | null; error: string | undefined; onChoose(file: File | undefined): void }) {
  const [dragging, setDragging] = useState(false);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    props.onChoose(event.dataTransfer.files[0]);
  };
  return (
    <div
      className={dragging ? 'drop-zone drop-zone-active' : 'drop-zone'}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      <label className="drop-zone-label">
        {props.file ? `${props.file.name} · ${fileSizeLabel(props.file.size)}` : 'Drop a PDF or an image here, or choose a file'}
        <input type="file" accept={ACCEPTED_FILES} onChange={(event) => props.onChoose(event.target.files?.[0])} autoFocus />
      </label>
      <p className="field-hint">PDF, PNG or JPEG, up to 5 MB.</p>
      {props.error && (
        <p className="field-error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}
