package ddpo4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpo4j.Ddpo4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpProfileTest {
    @TempDir
    Path tmp;

    @Test
    void selfTimesSubtractNestedOpsAndCountTimeOutsideOps() throws Exception {
        // conv2d [0, 100) holds mkldnn_convolution [10, 70); bmm [150, 200); group_norm on another thread
        Path trace = tmp.resolve("t.json");
        Files.writeString(trace, """
                {"traceEvents": [
                 {"name": "aten::conv2d", "ph": "X", "ts": 0, "dur": 100, "tid": 1, "args": {}},
                 {"name": "aten::mkldnn_convolution", "ph": "X", "ts": 10, "dur": 60, "tid": 1},
                 {"name": "aten::bmm", "ph": "X", "ts": 150, "dur": 50, "tid": 1},
                 {"name": "aten::native_group_norm", "ph": "X", "ts": 300, "dur": 40, "tid": 1},
                 {"name": "aten::native_group_norm", "ph": "X", "ts": 5, "dur": 1, "tid": 2},
                 {"name": "meta", "ph": "M", "ts": 0}
                ]}""");
        Map<String, Object> s = OpProfile.summarize(trace, 0.4); // 400 us of wall time
        @SuppressWarnings("unchecked")
        Map<String, Double> ms = (Map<String, Double>) s.get("self_ms");
        assertEquals(0.100, ms.get("convolution"), 1e-12);
        assertEquals(0.050, ms.get("attention"), 1e-12);
        assertEquals(0.041, ms.get("normalization"), 1e-12);
        assertEquals(0.4 - 0.191, ms.get("outside_ops"), 1e-12);
        assertEquals(5, s.get("ops"));
        @SuppressWarnings("unchecked")
        Map<String, Double> share = (Map<String, Double>) s.get("share_of_wall");
        assertEquals(0.25, share.get("convolution"), 1e-12);
    }

    @Test
    void aTraceWithInputShapesAlsoGivesTheTopOpsByShape() throws Exception {
        // two softmax calls on one shape (10 + 30 us), one on another (5 us); bmm recorded without shapes
        Path trace = tmp.resolve("s.json");
        Files.writeString(trace, """
                [{"name": "aten::_softmax", "ph": "X", "ts": 0, "dur": 10, "tid": 1, "shape": [[8, 8, 256, 256], [], []]},
                 {"name": "aten::_softmax", "ph": "X", "ts": 20, "dur": 30, "tid": 1, "shape": [[8, 8, 256, 256], [], []]},
                 {"name": "aten::_softmax", "ph": "X", "ts": 60, "dur": 5, "tid": 1, "shape": [[8, 8, 256, 77], [], []]},
                 {"name": "aten::bmm", "ph": "X", "ts": 70, "dur": 7, "tid": 1, "shape": []}]""");
        Map<String, Object> s = OpProfile.summarize(trace, 0.1);
        @SuppressWarnings("unchecked")
        java.util.List<Map<String, Object>> rows = (java.util.List<Map<String, Object>>) s.get("top_op_shapes");
        assertEquals(2, rows.size(), rows.toString());
        assertEquals("aten::_softmax [[8, 8, 256, 256], [], []]", rows.get(0).get("op"));
        assertEquals(2L, rows.get(0).get("calls"));
        assertEquals(0.040, (Double) rows.get(0).get("self_ms"), 1e-12);
        assertEquals(0.020, (Double) rows.get(0).get("ms_per_call"), 1e-12);
        assertEquals("aten::_softmax [[8, 8, 256, 77], [], []]", rows.get(1).get("op"));
    }

    @Test
    void aTraceWithoutShapesHasNoShapeTable() throws Exception {
        Path trace = tmp.resolve("n.json");
        Files.writeString(trace, "[{\"name\": \"aten::bmm\", \"ph\": \"X\", \"ts\": 0, \"dur\": 7, \"tid\": 1, \"shape\": []}]");
        assertEquals(false, OpProfile.summarize(trace, 0.1).containsKey("top_op_shapes"));
    }

    @Test
    void aFileThatIsNotATraceIsAClearError() throws Exception {
        Path trace = tmp.resolve("bad.json");
        Files.writeString(trace, "42");
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> OpProfile.summarize(trace, 1));
        assertEquals(true, e.getMessage().contains("bad.json"), e.getMessage());
    }

    @Test
    void opsAreSortedIntoKinds() {
        assertEquals("convolution", OpProfile.kind("aten::convolution_backward"));
        assertEquals("attention", OpProfile.kind("aten::_softmax_backward_data"));
        assertEquals("normalization", OpProfile.kind("aten::native_layer_norm"));
        assertEquals("linear", OpProfile.kind("aten::addmm"));
        assertEquals("linear", OpProfile.kind("aten::mm"));
        assertEquals("other_ops", OpProfile.kind("aten::mul"));
    }
}
