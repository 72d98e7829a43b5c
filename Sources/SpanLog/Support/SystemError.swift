#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Text for an `errno` value, e.g. "No space left on device (ENOSPC)".
enum SystemError {
    static func describe(_ code: Int32) -> String {
        let text = strerror(code).map { String(cString: $0) } ?? "error \(code)"
        let name: String
        switch code {
        case ENOSPC: name = "ENOSPC"
        case EFBIG: name = "EFBIG"
        case EIO: name = "EIO"
        case EACCES: name = "EACCES"
        case EPERM: name = "EPERM"
        case EROFS: name = "EROFS"
        case ENOENT: name = "ENOENT"
        case ENOTDIR: name = "ENOTDIR"
        case EEXIST: name = "EEXIST"
        case ELOOP: name = "ELOOP"
        case EDQUOT: name = "EDQUOT"
        default: name = "errno \(code)"
        }
        return "\(text) (\(name))"
    }
}
