package ddpo4j.tensor;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns libtorch's oneDNN ("mkldnn") backend off, so convolutions run ATen's own kernels
 * (im2col and MKL GEMM), as {@code torch.backends.mkldnn.enabled = False} does in Python.
 *
 * <p>Why: libtorch 2.7.1's oneDNN computes wrong float32 convolution input gradients on x86 CPUs
 * with AVX-512 or AVX2. Measured on an AMD EPYC (AVX-512), float32 against float64 (which oneDNN
 * never runs): for every 3x3 convolution whose output channels are not a multiple of the SIMD block
 * (16 floats; 8 with {@code DNNL_MAX_CPU_ISA=AVX2}) the gradient read unzeroed padding and was off
 * by 30-100% or NaN, depending on what the heap held there; and for stride-2 3x3 convolutions with
 * 40 or 48 input channels it was off by 15-35% every time. The UNet's {@code conv_out} (to 4
 * channels) ends every forward, so every LoRA and UNet gradient was garbage on such CPUs. The
 * forward and the weight gradients were right. DJL has no switch for it, so this calls libtorch's
 * {@code at::globalContext().setUserEnabledMkldnn(false)} through JNA; ATen then picks its other
 * CPU convolution kernels for forward and backward alike.
 */
final class OneDnnConvolutions {
    private static boolean disabled;

    private OneDnnConvolutions() {}

    /** Disables oneDNN in the libtorch this process has loaded (once; libtorch must be loaded). */
    static synchronized void disable() {
        if (disabled) {
            return;
        }
        Path lib = loadedLibtorchCpu();
        NativeLibrary torch = NativeLibrary.getInstance(lib.toString());
        Pointer context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
        Function set = torch.getFunction("_ZN2at7Context20setUserEnabledMkldnnEb");
        set.invokeVoid(new Object[] {context, false});
        Function get = torch.getFunction("_ZNK2at7Context17userEnabledMkldnnEv");
        if (get.invokeInt(new Object[] {context}) != 0) { // C++ bool: the low byte
            throw new Ddpo4jException("could not turn libtorch's oneDNN off (" + lib + ")");
        }
        disabled = true;
    }

    /** The libtorch_cpu.so DJL loaded, from the process's memory map. */
    private static Path loadedLibtorchCpu() {
        List<String> maps;
        try {
            maps = Files.readAllLines(Path.of("/proc/self/maps"));
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read /proc/self/maps to find libtorch: " + e.getMessage(), e);
        }
        for (String line : maps) {
            int at = line.indexOf('/');
            if (at >= 0 && line.endsWith("/libtorch_cpu.so")) {
                return Path.of(line.substring(at));
            }
        }
        throw new Ddpo4jException("libtorch_cpu.so is not loaded: start the PyTorch engine first");
    }
}
