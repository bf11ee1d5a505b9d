// `#simple-peer` (package.json "imports") is simple-peer's own module in Node and its self-contained
// browser build in bundles, which carries the Buffer/process/global shims simple-peer needs, so apps
// embedding Ferry configure nothing. Both have simple-peer's API.
import SimplePeer from 'simple-peer'
export default SimplePeer
