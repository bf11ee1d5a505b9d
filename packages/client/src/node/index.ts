export { safeFileName } from './file-names.js'
export { type NodePlatformOptions, nodePlatform } from './node-platform.js'
