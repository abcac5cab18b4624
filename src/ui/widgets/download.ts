/** Offers a file to the person as a download (the browser saves it where they choose). */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name for an export of a model version: `<model>-v<n>.<ext>`, safe on every system. */
export function exportName(model: { name: string }, v: { number: number }, ext: string): string {
  return `${model.name.replace(/[^\w-]+/g, '_')}-v${v.number}.${ext}`;
}
