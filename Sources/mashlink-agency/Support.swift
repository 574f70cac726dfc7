import ArgumentParser
import Foundation
import LinkCrypto
import Tokenisation

func readText(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("\(path) cannot be read; check the path")
    }
    return String(decoding: data, as: UTF8.self)
}
