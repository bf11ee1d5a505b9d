export { nodePlatform, type NodePlatformOptions } from './node-platform.js'
export { safeFileName } from './file-names.js'
