import Testing
import Torch
import _TestSupport

@Suite struct DeviceTests {
    @Test(arguments: [("cpu", Device.cpu), ("CPU", .cpu), ("cuda", .cuda(0)), ("cuda:0", .cuda(0)), ("cuda:1", .cuda(1)), ("CUDA:12", .cuda(12))])
    func parsesDeviceNames(text: String, device: Device) {
        #expect(Device(parsing: text) == device)
    }

    @Test(arguments: ["", "gpu", "cuda:", "cuda:-1", "cuda:x", "cuda:1:2", "cpu:0", " cpu", "cuda 1", "mps", "cuda:1.5"])
    func rejectsJunk(text: String) {
        #expect(Device(parsing: text) == nil)
    }

    @Test func descriptionsParseBack() {
        for device in [Device.cpu, .cuda(0), .cuda(3)] {
            #expect(Device(parsing: device.description) == device)
        }
        #expect(Device.cuda(2).description == "cuda:2")
    }

    @Test func theDefaultDeviceIsCPU() throws {
        #expect(Device.current == .cpu)
        #expect(try Tensor.zeros([1]).device == .cpu)
        try Device.cpu.checkAvailable()
        let inside = try withDevice(.cpu) { Device.current }
        #expect(inside == .cpu)
    }
}
