import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Opening, reading and writing files for the CSV reader and writers, with errors turned into
/// `CSVError.io` messages an officer can act on. Descriptors are opened with POSIX `open` (so a
/// new file gets its mode at creation and `O_EXCL` refuses to follow or clobber an existing
/// path) and then driven through `FileHandle`; no pointer code here.
enum CSVFileAccess {
    /// Opens `path` for reading.
    static func openForReading(_ path: String) throws(CSVError) -> FileHandle {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw .io(path: path, reason: "this is a folder, not a CSV file; give the path of the file itself")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .io(path: path, reason: "cannot open the file for reading: \(describe(errno: errno, writing: false))")
        }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Creates `path` for writing with the given permission bits (0600: owner only, since
    /// extracts and rejects hold personal data). An existing file is never opened: with
    /// `replacingExisting` it is first removed, otherwise creation fails.
    static func create(_ path: String, permissions: Int, replacingExisting: Bool) throws(CSVError) -> FileHandle {
        if replacingExisting {
            if unlink(path) != 0 && errno != ENOENT {
                throw .io(path: path, reason: "cannot replace the existing file: \(describe(errno: errno, writing: true))")
            }
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions))
        guard descriptor >= 0 else {
            throw .io(path: path, reason: "cannot create the file: \(describe(errno: errno, writing: true))")
        }
        // The umask can only remove bits; make the mode exactly what was asked for.
        _ = fchmod(descriptor, mode_t(permissions))
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Reads up to `count` bytes; nil at the end of the file.
    static func read(_ handle: FileHandle, upTo count: Int, path: String) throws(CSVError) -> [UInt8]? {
        do {
            guard let data = try handle.read(upToCount: count), !data.isEmpty else { return nil }
            return [UInt8](data)
        } catch {
            throw .io(path: path, reason: "reading the file failed: \(describe(error, writing: false))")
        }
    }

    /// Writes all of `bytes`.
    static func write(_ handle: FileHandle, _ bytes: [UInt8], path: String) throws(CSVError) {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw .io(path: path, reason: "writing the file failed: \(describe(error, writing: true))")
        }
    }

    /// Makes the written data durable (fsync) and closes the file.
    static func syncAndClose(_ handle: FileHandle, path: String) throws(CSVError) {
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw .io(path: path, reason: "finishing the file failed: \(describe(error, writing: true))")
        }
    }

    static func close(_ handle: FileHandle) {
        try? handle.close()
    }

    private static func describe(_ error: any Error, writing: Bool) -> String {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain {
            return describe(errno: Int32(error.code), writing: writing)
        }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return describe(errno: Int32(underlying.code), writing: writing)
        }
        return error.localizedDescription
    }

    private static func describe(errno code: Int32, writing: Bool) -> String {
        switch code {
        case ENOENT: return writing ? "the folder does not exist; create it or choose another path"
            : "no such file; check the path"
        case EACCES, EPERM: return writing ? "permission denied; choose a folder your account may write to"
            : "permission denied; check that your account may read the file"
        case EEXIST: return "a file of that name already exists and is never overwritten; move it away or choose another name"
        case EISDIR: return "this is a folder, not a file"
        case ENOTDIR: return "part of the path is not a folder; check the path"
        case ENAMETOOLONG: return "the path is too long"
        case ENOSPC: return "the disk is full; free some space and try again"
        case EDQUOT: return "your disk quota is used up; free some space and try again"
        case EROFS: return "the disk is read-only; choose another place"
        case EMFILE, ENFILE: return "too many files are open; close other programs and try again"
        case EIO: return "the disk reported an input/output error"
        default: return "system error \(code)"
        }
    }
}
