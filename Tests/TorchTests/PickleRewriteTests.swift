import Foundation
import Testing

@testable import Torch

/// The opcode-stream rewrite on hand-written pickle streams (golden bytes) and on the data.pkl of fixtures.
@Suite struct PickleRewriteTests {
    typealias Op = PickleRewrite.Opcode

    static let orderedDictGlobal: [UInt8] = [Op.global] + Array("collections\nOrderedDict\n".utf8)
    static let proto2: [UInt8] = [0x80, 2]
    static let emptyList: UInt8 = 0x5D

    static func shortUnicode(_ text: String) -> [UInt8] {
        [Op.shortBinUnicode, UInt8(text.utf8.count)] + Array(text.utf8)
    }

    static func unicode(_ text: String) -> [UInt8] {
        [Op.binUnicode, UInt8(text.utf8.count), 0, 0, 0] + Array(text.utf8)
    }

    /// `OrderedDict()` memoized at slot 0, filled with {"a": 1}, its `_metadata` state applied by BUILD.
    static let stateDictStream: [UInt8] =
        proto2 + orderedDictGlobal + [Op.binPut, 0, Op.emptyTuple, Op.reduce, Op.binPut, 1]
        + [Op.mark] + unicode("a") + [0x4B, 1, 0x75]  // BININT1 1, SETITEMS
        + [Op.emptyDict, Op.binPut, 2] + unicode("_metadata") + [Op.emptyDict, Op.setItem, Op.build, Op.stop]

    /// The call becomes EMPTY_DICT (the callable's memo store is dropped); BUILD becomes SETITEM under
    /// `stateKey`, which is inserted where the state starts.
    @Test func anOrderedDictBecomesAnEmptyDictAndBuildASetItem() throws {
        let rewritten = try #require(try PickleRewrite.plainDicts(Self.stateDictStream, path: "s.pth"))
        let expected: [UInt8] =
            Self.proto2 + [Op.emptyDict, Op.binPut, 1] + [Op.mark] + Self.unicode("a") + [0x4B, 1, 0x75]
            + Self.unicode(PickleRewrite.stateKey)
            + [Op.emptyDict, Op.binPut, 2] + Self.unicode("_metadata") + [Op.emptyDict, Op.setItem, Op.setItem, Op.stop]
        #expect(rewritten == expected)
        #expect(PickleRewrite.buildStateStarts(try PickleRewrite.instructions(Self.stateDictStream, path: "s")) == [15: 10])
        // A BUILD whose state was never pushed cannot be placed: it is left for LibTorch to report.
        let untracked = try PickleRewrite.instructions(Self.proto2 + [Op.build, Op.stop], path: "u")
        #expect(PickleRewrite.buildStateStarts(untracked).isEmpty)
    }

    /// A later `BINGET k, EMPTY_TUPLE, REDUCE` of the memoized callable (a tensor's backward hooks, a second
    /// state dict) is an empty dict as well; other BINGETs are kept.
    @Test func aMemoReferenceToTheCallableBecomesAnEmptyDict() throws {
        let stream: [UInt8] =
            Self.proto2 + [Self.emptyList, Op.binPut, 0, Op.mark] + Self.unicode("x") + [Op.binPut, 1]
            + Self.orderedDictGlobal + [Op.binPut, 2, Op.emptyTuple, Op.reduce]
            + [Op.longBinGet, 2, 0, 0, 0, Op.emptyTuple, Op.reduce, Op.binGet, 1, 0x65, Op.stop]  // APPENDS
        let rewritten = try #require(try PickleRewrite.plainDicts(stream, path: "l.pth"))
        let expected: [UInt8] =
            Self.proto2 + [Self.emptyList, Op.binPut, 0, Op.mark] + Self.unicode("x") + [Op.binPut, 1]
            + [Op.emptyDict, Op.emptyDict, Op.binGet, 1, 0x65, Op.stop]
        #expect(rewritten == expected)
    }

    /// Protocol 4 becomes protocol 2: no FRAME, BINUNICODE for SHORT_BINUNICODE, BINPUT for MEMOIZE, GLOBAL for
    /// STACK_GLOBAL (the OrderedDict callable as above); a string folded into a GLOBAL is read back as a literal.
    @Test func protocol4IsTranslatedToProtocol2() throws {
        let stream: [UInt8] =
            [0x80, 4, Op.frame, 20, 0, 0, 0, 0, 0, 0, 0] + Self.shortUnicode("collections") + [Op.memoize]
            + Self.shortUnicode("OrderedDict") + [Op.memoize, Op.stackGlobal, Op.memoize, Op.emptyTuple, Op.reduce]
            + [Op.memoize] + Self.shortUnicode("k") + [Op.memoize, Op.binGet, 0, Op.setItem]
            + Self.shortUnicode("torch") + Self.shortUnicode("FloatStorage") + [Op.stackGlobal, Op.memoize]
            + [Op.binGet, 5, Op.setItem, Op.stop]
        let rewritten = try #require(try PickleRewrite.plainDicts(stream, path: "p4.pth"))
        let expected: [UInt8] =
            Self.proto2 + [Op.emptyDict, Op.binPut, 3] + Self.unicode("k") + [Op.binPut, 4]
            + Self.unicode("collections") + [Op.setItem, Op.global] + Array("torch\nFloatStorage\n".utf8)
            + [Op.binPut, 5, Op.binGet, 5, Op.setItem, Op.stop]
        #expect(rewritten == expected)
    }

    /// Without the OrderedDict global nothing is rewritten, BUILD included. (Every tensor's backward hooks are an
    /// `OrderedDict()`, so only a torch.save file without tensors, like no_tensors.pth, is passed unchanged.)
    @Test func aStreamWithoutOrderedDictIsLeftAlone() throws {
        let stream: [UInt8] = Self.proto2 + [Op.emptyDict, Op.emptyDict, Op.build, Op.stop]
        #expect(try PickleRewrite.plainDicts(stream, path: "d.pth") == nil)
        let plain = try TorchPickle.record(
            "data.pkl", of: Data(contentsOf: TorchPickleTests.url("no_tensors.pth")), path: "plain")
        #expect(plain.count > 20)
        #expect(try PickleRewrite.plainDicts(plain, path: "plain") == nil)
        #expect(try TorchPickle.load(TorchPickleTests.url("no_tensors.pth")).isEmpty)
    }

    /// `OrderedDict([("a", 1)])` (arguments) and a callable that is stored but not called are refused.
    @Test func otherUsesOfTheCallableAreRefused() throws {
        let withArguments: [UInt8] =
            Self.proto2 + Self.orderedDictGlobal + [Self.emptyList, 0x85, Op.reduce, Op.stop]  // TUPLE1
        #expect(throws: TorchError.orderedDictInTorchSave(path: "a.pth")) {
            try PickleRewrite.plainDicts(withArguments, path: "a.pth")
        }
        let stored: [UInt8] =
            Self.proto2 + Self.orderedDictGlobal + [Op.binPut, 0, Op.emptyTuple, Op.reduce]
            + [Op.binGet, 0, Op.stop]
        #expect(throws: TorchError.orderedDictInTorchSave(path: "b.pth")) {
            try PickleRewrite.plainDicts(stored, path: "b.pth")
        }
    }

    @Test func anUnknownOpcodeIsNamedWithItsOffset() throws {
        let stream: [UInt8] = Self.proto2 + [Op.emptyDict, 0xFF, Op.stop]
        #expect(throws: TorchError.unknownPickleOpcode(path: "u.pth", opcode: 0xFF, offset: 3)) {
            try PickleRewrite.plainDicts(stream, path: "u.pth")
        }
        let text = TorchError.unknownPickleOpcode(path: "u.pth", opcode: 0xFF, offset: 3).description
        #expect(text.contains("byte 0xFF at offset 3"))
    }

    /// A stream cut inside an argument names the opcode's offset; one without STOP names its end.
    @Test func aTruncatedStreamIsNamedWithItsOffset() throws {
        let cut = Array(Self.stateDictStream.prefix(Self.proto2.count + 10))  // inside the GLOBAL lines
        #expect(throws: TorchError.truncatedPickle(path: "t.pth", offset: 2)) {
            try PickleRewrite.plainDicts(cut, path: "t.pth")
        }
        let counted: [UInt8] = Self.proto2 + [Op.binUnicode, 200, 0, 0, 0, 0x41, Op.stop]
        #expect(throws: TorchError.truncatedPickle(path: "t.pth", offset: 2)) {
            try PickleRewrite.plainDicts(counted, path: "t.pth")
        }
        let noStop: [UInt8] = Self.proto2 + [Op.emptyDict]
        #expect(throws: TorchError.truncatedPickle(path: "t.pth", offset: 3)) {
            try PickleRewrite.plainDicts(noStop, path: "t.pth")
        }
    }

    /// The table knows exactly the 68 opcodes of Python's `pickletools.opcodes` (protocols 0–5).
    @Test func theArgumentTableCoversEveryPickleOpcode() {
        let known = (0...255).filter { PickleRewrite.argument(of: UInt8($0)) != nil }
        #expect(known.count == 68)
        #expect(PickleRewrite.argument(of: Op.global) == .lines(2))
        #expect(PickleRewrite.argument(of: Op.frame) == .fixed(8))
        #expect(PickleRewrite.argument(of: Op.binUnicode8) == .counted(width: 8))
        #expect(PickleRewrite.littleEndian([0x01, 0x02, 0x00, 0x80]) == 0x8000_0201)
    }
}
