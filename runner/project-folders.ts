// Which models/ folders an entry of project.yml (folders:, data_tests:) names.

/** The model folder a folders entry of project.yml names: `staging/` is written as often as `staging`. */
export function entryFolder(key: string): string {
  return key.replace(/\/+$/, "");
}

/** Whether a folders entry applies to a model folder: the folder itself or one inside it. */
export function folderEntryCovers(key: string, folder: string): boolean {
  return folder === entryFolder(key) || folder.startsWith(`${entryFolder(key)}/`);
}
