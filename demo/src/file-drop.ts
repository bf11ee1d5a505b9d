/**
 * Accepts files dropped anywhere on the page (a drop outside a handler would make the browser open
 * the file and leave the page). `zone` is highlighted while files are dragged over the window.
 */
export function acceptFileDrops(zone: HTMLElement, onFiles: (files: File[]) => void): () => void {
  let depth = 0
  const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false
  const onEnter = (event: DragEvent) => {
    if (!carriesFiles(event)) return
    depth++
    zone.classList.add('dragging')
  }
  const onLeave = () => {
    depth = Math.max(0, depth - 1)
    if (depth === 0) zone.classList.remove('dragging')
  }
  const onOver = (event: DragEvent) => {
    if (!carriesFiles(event)) return
    event.preventDefault()
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
  }
  const onDrop = (event: DragEvent) => {
    const files = [...(event.dataTransfer?.files ?? [])]
    if (files.length === 0) return
    event.preventDefault()
    depth = 0
    zone.classList.remove('dragging')
    onFiles(files)
  }
  document.addEventListener('dragenter', onEnter)
  document.addEventListener('dragleave', onLeave)
  document.addEventListener('dragover', onOver)
  document.addEventListener('drop', onDrop)
  return () => {
    document.removeEventListener('dragenter', onEnter)
    document.removeEventListener('dragleave', onLeave)
    document.removeEventListener('dragover', onOver)
    document.removeEventListener('drop', onDrop)
  }
}
