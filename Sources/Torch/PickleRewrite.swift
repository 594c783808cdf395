import Foundation

/// Rewrites the pickle stream of a torch.save file (its `data.pkl`) into one that LibTorch's unpickler reads
/// with every `collections.OrderedDict` as a plain dict; LibTorch still does all the unpickling.
///
/// Why: LibTorch 2.11's unpickler (`torch/csrc/jit/serialization/unpickler.cpp`) replaces the result of every
/// `collections.OrderedDict(...)` with None (`readGlobal`: it expects one only as a tensor's empty backward hooks),
/// treats BUILD like REDUCE, and reads only protocol 2 without POP (pytorch/pytorch#100741, #95362; the fix,
/// #139750, was not merged). `model.state_dict()` is an OrderedDict with a `_metadata` attribute, which pickle
/// writes as
///
///     GLOBAL 'collections OrderedDict'  [BINPUT k]  EMPTY_TUPLE  REDUCE  MARK … SETITEMS  {'_metadata': …}  BUILD
///
/// The rewrite, on the opcode stream:
/// - turns each call of the OrderedDict callable without arguments (the GLOBAL, or a BINGET of the memo slot it
///   was stored in, then EMPTY_TUPLE, REDUCE) into EMPTY_DICT, which the following SETITEMS fill as pickle fills
///   any dict. The memo store of the callable itself is dropped (LibTorch fills memo gaps with None, and every
///   later use of that slot is rewritten too); any other use of the callable (with arguments) is refused with
///   ``TorchError/orderedDictInTorchSave(path:)``. Every tensor's backward hooks are such a call, so every
///   torch.save stream with tensors names the OrderedDict global; LibTorch ignores the hooks either way.
/// - turns BUILD into SETITEM under ``stateKey``, inserting that key where the state starts (found by tracking
///   the stack): the instance state (`_metadata`, per-module version numbers; no tensors) becomes an entry of
///   the dict instead of being applied. LibTorch has no POP to drop it. In a state dict only OrderedDict's
///   `_metadata` uses BUILD; any other object that needs BUILD starts with a GLOBAL that LibTorch refuses by
///   name (``TorchError/nonTensorObject(path:type:)``) before its BUILD is reached.
/// - translates protocol 4 (`torch.save(..., pickle_protocol=4)`) to protocol 2: PROTO 2, no FRAME, BINUNICODE
///   for SHORT_BINUNICODE and BINUNICODE8, BINPUT/LONG_BINPUT for MEMOIZE, and GLOBAL for STACK_GLOBAL of two
///   just-pushed strings (whose memo slots are then read back as string literals).
enum PickleRewrite {
    /// The opcodes the rewrite looks at or emits (names as in Python's `pickletools`).
    enum Opcode {
        static let mark: UInt8 = 0x28  // (
        static let stop: UInt8 = 0x2E  // .
        static let pop: UInt8 = 0x30  // 0
        static let reduce: UInt8 = 0x52  // R
        static let build: UInt8 = 0x62  // b
        static let setItem: UInt8 = 0x73  // s
        static let global: UInt8 = 0x63  // c
        static let emptyDict: UInt8 = 0x7D  // }
        static let emptyTuple: UInt8 = 0x29  // )
        static let get: UInt8 = 0x67  // g
        static let binGet: UInt8 = 0x68  // h
        static let longBinGet: UInt8 = 0x6A  // j
        static let put: UInt8 = 0x70  // p
        static let binPut: UInt8 = 0x71  // q
        static let longBinPut: UInt8 = 0x72  // r
        static let binString: UInt8 = 0x54  // T
        static let shortBinString: UInt8 = 0x55  // U
        static let binUnicode: UInt8 = 0x58  // X
        static let shortBinUnicode: UInt8 = 0x8C
        static let binUnicode8: UInt8 = 0x8D
        static let stackGlobal: UInt8 = 0x93
        static let memoize: UInt8 = 0x94
        static let frame: UInt8 = 0x95
    }

    /// How an opcode's argument is laid out after the opcode byte.
    enum Argument: Equatable {
        /// No argument.
        case none
        /// A fixed number of bytes.
        case fixed(Int)
        /// A little-endian unsigned length of `width` bytes, then that many bytes.
        case counted(width: Int)
        /// `count` newline-terminated text lines.
        case lines(Int)
    }

    /// The argument layout of every opcode of pickle protocols 0–5 (Python's `pickletools.opcodes`); nil for a
    /// byte that is no opcode.
    static func argument(of opcode: UInt8) -> Argument? {
        switch opcode {
        case 0x28, 0x2E, 0x30, 0x31, 0x32, 0x4E, 0x51, 0x52, 0x61, 0x62, 0x64, 0x7D, 0x65, 0x6C, 0x5D, 0x6F, 0x73,
            0x74, 0x29, 0x75, 0x81, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8F, 0x90, 0x91, 0x92, 0x93, 0x94, 0x97, 0x98:
            // MARK STOP POP POP_MARK DUP NONE BINPERSID REDUCE APPEND BUILD DICT EMPTY_DICT APPENDS LIST
            // EMPTY_LIST OBJ SETITEM TUPLE EMPTY_TUPLE SETITEMS NEWOBJ TUPLE1-3 NEWTRUE NEWFALSE EMPTY_SET
            // ADDITEMS FROZENSET NEWOBJ_EX STACK_GLOBAL MEMOIZE NEXT_BUFFER READONLY_BUFFER
            return Argument.none
        case 0x4B, 0x68, 0x71, 0x80, 0x82: return .fixed(1)  // BININT1 BINGET BINPUT PROTO EXT1
        case 0x4D, 0x83: return .fixed(2)  // BININT2 EXT2
        case 0x4A, 0x6A, 0x72, 0x84: return .fixed(4)  // BININT LONG_BINGET LONG_BINPUT EXT4
        case 0x47, 0x95: return .fixed(8)  // BINFLOAT FRAME
        case 0x55, 0x43, 0x8A, 0x8C: return .counted(width: 1)  // SHORT_BINSTRING SHORT_BINBYTES LONG1 SHORT_BINUNICODE
        case 0x54, 0x42, 0x58, 0x8B: return .counted(width: 4)  // BINSTRING BINBYTES BINUNICODE LONG4
        case 0x8D, 0x8E, 0x96: return .counted(width: 8)  // BINUNICODE8 BINBYTES8 BYTEARRAY8
        case 0x46, 0x49, 0x4C, 0x50, 0x53, 0x56, 0x67, 0x70: return .lines(1)  // FLOAT INT LONG PERSID STRING UNICODE GET PUT
        case 0x63, 0x69: return .lines(2)  // GLOBAL INST
        default: return nil
        }
    }

    /// One opcode of the stream: its byte, where it starts, its argument bytes (after any length prefix) and
    /// where the next opcode starts.
    struct Instruction: Equatable {
        var opcode: UInt8
        var offset: Int
        var argument: Range<Int>
        var end: Int
    }

    /// Splits a pickle stream into its opcodes, up to and including STOP.
    ///
    /// Throws ``TorchError/unknownPickleOpcode(path:opcode:offset:)`` for a byte that is no opcode and
    /// ``TorchError/truncatedPickle(path:offset:)`` when the stream ends inside an argument or before STOP.
    static func instructions(_ bytes: [UInt8], path: String) throws -> [Instruction] {
        var result: [Instruction] = []
        var offset = 0
        while true {
            guard offset < bytes.count else { throw TorchError.truncatedPickle(path: path, offset: offset) }
            let opcode = bytes[offset]
            guard let layout = argument(of: opcode) else {
                throw TorchError.unknownPickleOpcode(path: path, opcode: opcode, offset: offset)
            }
            let start = offset + 1
            var argument = start..<start
            switch layout {
            case .none:
                break
            case let .fixed(count):
                guard bytes.count - start >= count else { throw TorchError.truncatedPickle(path: path, offset: offset) }
                argument = start..<start + count
            case let .counted(width):
                guard bytes.count - start >= width else { throw TorchError.truncatedPickle(path: path, offset: offset) }
                let length = littleEndian(bytes[start..<start + width])
                guard UInt64(bytes.count - start - width) >= length else {
                    throw TorchError.truncatedPickle(path: path, offset: offset)
                }
                argument = start + width..<start + width + Int(length)
            case let .lines(count):
                var cursor = start
                for _ in 0..<count {
                    guard let newline = bytes[cursor...].firstIndex(of: 0x0A) else {
                        throw TorchError.truncatedPickle(path: path, offset: offset)
                    }
                    cursor = newline + 1
                }
                argument = start..<cursor
            }
            let instruction = Instruction(opcode: opcode, offset: offset, argument: argument, end: argument.upperBound)
            result.append(instruction)
            offset = instruction.end
            if opcode == Opcode.stop { return result }
        }
    }

    /// What the rewrite knows about a value on the unpickler's stack or in its memo.
    enum Value: Equatable {
        case string(String)
        case orderedDictCallable
        case other
    }

    /// The dict key under which BUILD's instance state is kept (see the type's documentation).
    static let stateKey = "__build_state__"

    /// The stream rewritten as described above, or nil when it needs nothing (it never names
    /// `collections.OrderedDict` and is protocol 2 or older): then LibTorch reads the original bytes.
    ///
    /// Throws what ``instructions(_:path:)`` throws, and ``TorchError/orderedDictInTorchSave(path:)`` for an
    /// OrderedDict called with arguments or used other than as a callable.
    static func plainDicts(_ bytes: [UInt8], path: String) throws -> [UInt8]? {
        let code = try instructions(bytes, path: path)
        // LibTorch reads protocol 2 only; torch.save writes 2 unless given pickle_protocol.
        let translate = code[0].opcode == 0x80 && (bytes[code[0].argument].first ?? 0) > 2
        let stateStarts = buildStateStarts(code)
        let keyBefore = Set(stateStarts.values)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 64)
        var memo: [Int: Value] = [:]
        var stored: Set<Int> = []  // every memo slot written so far; MEMOIZE writes slot `stored.count`
        var elided: Set<Int> = []  // slots whose value was never pushed (strings folded into a GLOBAL)
        var last = Value.other
        var foundOrderedDict = false

        func emit(_ instruction: Instruction) { output += bytes[instruction.offset..<instruction.end] }
        func emitString(_ text: String) {
            let utf8 = Array(text.utf8)
            output.append(Opcode.binUnicode)
            output += withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { Array($0) }
            output += utf8
        }
        func store(_ instruction: Instruction, _ value: Value) -> Int {
            let slot = slot(of: instruction, in: bytes, memoCount: stored.count)
            stored.insert(slot)
            memo[slot] = value
            return slot
        }
        func emitStore(_ instruction: Instruction, slot: Int) {
            guard translate, instruction.opcode == Opcode.memoize else { return emit(instruction) }
            if slot < 256 {
                output += [Opcode.binPut, UInt8(slot)]
            } else {
                output.append(Opcode.longBinPut)
                output += withUnsafeBytes(of: UInt32(slot).littleEndian) { Array($0) }
            }
        }
        // The memo stores (and FRAMEs) from `index` on; returns them and the index after them.
        func stores(from index: Int) -> (stores: [Instruction], next: Int) {
            var next = index
            var found: [Instruction] = []
            while next < code.count, isMemoStore(code[next].opcode) || code[next].opcode == Opcode.frame {
                if code[next].opcode != Opcode.frame { found.append(code[next]) }
                next += 1
            }
            return (found, next)
        }
        // Replaces a call of the OrderedDict callable (just read, then memoized or not) by EMPTY_DICT and drops
        // the callable's memo stores; returns the index of the next instruction to read.
        func callOrderedDict(from index: Int) throws -> Int {
            foundOrderedDict = true
            let (callableStores, next) = stores(from: index)
            guard next + 1 < code.count, code[next].opcode == Opcode.emptyTuple, code[next + 1].opcode == Opcode.reduce
            else { throw TorchError.orderedDictInTorchSave(path: path) }
            for instruction in callableStores { _ = store(instruction, .orderedDictCallable) }
            output.append(Opcode.emptyDict)
            last = .other
            return next + 2
        }
        // Two string pushes (each maybe memoized) and STACK_GLOBAL from `index`: the strings and the index after.
        func stackGlobal(at index: Int) -> (module: String, name: String, next: Int)? {
            guard translate, let module = string(code[index], in: bytes) else { return nil }
            let second = stores(from: index + 1).next
            guard second < code.count, let name = string(code[second], in: bytes) else { return nil }
            let global = stores(from: second + 1).next
            guard global < code.count, code[global].opcode == Opcode.stackGlobal else { return nil }
            for instruction in stores(from: index + 1).stores { elided.insert(store(instruction, .string(module))) }
            for instruction in stores(from: second + 1).stores { elided.insert(store(instruction, .string(name))) }
            return (module, name, global + 1)
        }

        var index = 0
        while index < code.count {
            let instruction = code[index]
            if keyBefore.contains(index) { emitString(stateKey) }
            index += 1
            switch instruction.opcode {
            case 0x80:  // PROTO
                if translate { output += [0x80, 2] } else { emit(instruction) }
            case Opcode.frame:
                continue
            case Opcode.global:
                if bytes[instruction.argument].elementsEqual("collections\nOrderedDict\n".utf8) {
                    index = try callOrderedDict(from: index)
                } else {
                    emit(instruction)
                    last = .other
                }
            case Opcode.get, Opcode.binGet, Opcode.longBinGet:
                let slot = slot(of: instruction, in: bytes, memoCount: stored.count)
                let value = memo[slot] ?? .other
                if value == .orderedDictCallable {
                    index = try callOrderedDict(from: index)
                    continue
                }
                if elided.contains(slot), case let .string(text) = value { emitString(text) } else { emit(instruction) }
                last = value
            case Opcode.put, Opcode.binPut, Opcode.longBinPut, Opcode.memoize:
                emitStore(instruction, slot: store(instruction, last))
            case Opcode.build:
                output.append(stateStarts[index - 1] == nil ? Opcode.build : Opcode.setItem)
                last = .other
            case Opcode.binString, Opcode.shortBinString, Opcode.binUnicode, Opcode.shortBinUnicode,
                Opcode.binUnicode8:
                if let group = stackGlobal(at: index - 1) {
                    let (module, name) = (group.module, group.name)
                    index = group.next
                    if module == "collections" && name == "OrderedDict" {
                        index = try callOrderedDict(from: index)
                    } else {
                        output.append(Opcode.global)
                        output += Array("\(module)\n\(name)\n".utf8)
                        last = .other
                    }
                    continue
                }
                let text = String(decoding: bytes[instruction.argument], as: UTF8.self)
                if translate && instruction.opcode != Opcode.binUnicode && instruction.opcode != Opcode.binString
                    && instruction.opcode != Opcode.shortBinString
                {
                    emitString(text)
                } else {
                    emit(instruction)
                }
                last = .string(text)
            default:
                emit(instruction)
                last = .other
            }
        }
        return foundOrderedDict || translate ? output : nil
    }

    /// The text a string-pushing opcode pushes, or nil for any other opcode.
    static func string(_ instruction: Instruction, in bytes: [UInt8]) -> String? {
        switch instruction.opcode {
        case Opcode.binString, Opcode.shortBinString, Opcode.binUnicode, Opcode.shortBinUnicode, Opcode.binUnicode8:
            return String(decoding: bytes[instruction.argument], as: UTF8.self)
        default:
            return nil
        }
    }

    /// For each BUILD (by instruction index), the index of the instruction where its state value starts, found by
    /// tracking where every value on the unpickler's stack starts. A stream whose stack cannot be tracked (it
    /// pops what it never pushed) gets no entry, and LibTorch reports it.
    static func buildStateStarts(_ code: [Instruction]) -> [Int: Int] {
        var starts: [Int] = []  // per stack entry: the index of the instruction where it starts
        var marks: [(depth: Int, index: Int)] = []
        var result: [Int: Int] = [:]
        for (index, instruction) in code.enumerated() {
            switch stackEffect(of: instruction.opcode) {
            case .none:
                break
            case .push:
                starts.append(index)
            case let .pop(count):
                guard starts.count >= count else { return result }
                if instruction.opcode == Opcode.build, let state = starts.last { result[index] = state }
                starts.removeLast(count)
            case let .replace(count):
                guard count > 0, starts.count >= count else { return result }
                let first = starts[starts.count - count]
                starts.removeLast(count)
                starts.append(first)
            case .mark:
                marks.append((starts.count, index))
            case .popToMark, .replaceFromMark:
                guard let mark = marks.popLast(), starts.count >= mark.depth else { return result }
                starts.removeLast(starts.count - mark.depth)
                if case .replaceFromMark = stackEffect(of: instruction.opcode) { starts.append(mark.index) }
            }
        }
        return result
    }

    /// What an opcode does to the unpickler's stack.
    enum StackEffect: Equatable {
        case none
        case push
        /// Pops `count` values.
        case pop(Int)
        /// Pops `count` values and pushes one built from them.
        case replace(Int)
        case mark
        /// Pops everything above the topmost mark (and the mark).
        case popToMark
        /// Pops everything above the topmost mark (and the mark) and pushes one value built from it.
        case replaceFromMark
    }

    static func stackEffect(of opcode: UInt8) -> StackEffect {
        switch opcode {
        case 0x80, Opcode.frame, Opcode.put, Opcode.binPut, Opcode.longBinPut, Opcode.memoize, Opcode.stop:
            return .none
        case Opcode.mark: return .mark
        case Opcode.pop, 0x61, Opcode.build: return .pop(1)  // POP APPEND BUILD
        case 0x73: return .pop(2)  // SETITEM
        case 0x85, 0x51, 0x98: return .replace(1)  // TUPLE1 BINPERSID READONLY_BUFFER
        case 0x86, Opcode.reduce, 0x81, Opcode.stackGlobal: return .replace(2)  // TUPLE2 REDUCE NEWOBJ STACK_GLOBAL
        case 0x87, 0x92: return .replace(3)  // TUPLE3 NEWOBJ_EX
        case 0x31, 0x65, 0x75, 0x90: return .popToMark  // POP_MARK APPENDS SETITEMS ADDITEMS
        case 0x74, 0x6C, 0x64, 0x91, 0x6F, 0x69: return .replaceFromMark  // TUPLE LIST DICT FROZENSET OBJ INST
        default: return .push  // every other opcode pushes one value (DUP a copy)
        }
    }
    /// Whether the opcode stores the top of the stack in the memo.
    static func isMemoStore(_ opcode: UInt8) -> Bool {
        opcode == Opcode.put || opcode == Opcode.binPut || opcode == Opcode.longBinPut || opcode == Opcode.memoize
    }

    /// The memo slot a PUT/GET-family opcode names; MEMOIZE stores at the memo's current size, as in Python.
    static func slot(of instruction: Instruction, in bytes: [UInt8], memoCount: Int) -> Int {
        switch instruction.opcode {
        case Opcode.memoize:
            return memoCount
        case Opcode.put, Opcode.get:
            let text = String(decoding: bytes[instruction.argument], as: UTF8.self)
            return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        default:
            return Int(littleEndian(bytes[instruction.argument]))
        }
    }

    /// The unsigned little-endian integer in `bytes` (at most 8 of them).
    static func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}
