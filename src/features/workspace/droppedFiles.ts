/**
 * Files of a drop, folders walked recursively (webkitGetAsEntry), each with its path inside
 * the dropped folder so the dataset reader can pair `<id>.jpg` with `<id>_rgn.jpg` and find
 * class folders.
 */
export async function filesFromDrop(data: DataTransfer): Promise<{ files: File[]; paths: string[] }> {
  const entries = [...data.items].map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.every((e) => e === null)) return { files: [...data.files], paths: [...data.files].map((f) => f.name) };
  const files: File[] = [];
  const paths: string[] = [];
  for (const entry of entries) if (entry) await walk(entry, '', files, paths);
  return { files, paths };
}

async function walk(entry: FileSystemEntry, prefix: string, files: File[], paths: string[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    files.push(file);
    paths.push(`${prefix}${entry.name}`);
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns the listing in chunks; an empty chunk ends it.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, `${prefix}${entry.name}/`, files, paths);
  }
}
