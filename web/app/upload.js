// Upload: a file picker and drag-and-drop, to POST /assets (filled in by the upload slice).
export function pickFiles() {
  const input = document.createElement('input');
  input.type = 'file';
  input.multiple = true;
  input.accept = 'image/*,video/*';
  input.addEventListener('change', () => uploadFiles([...(input.files || [])]));
  input.click();
}

/** @param {File[]} files */
export async function uploadFiles(files) {
  void files;
}
