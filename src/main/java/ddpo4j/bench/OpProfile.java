package ddpo4j.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where the time goes, from libtorch's own profiler trace (Chrome trace JSON): the self time of
 * every op (its duration minus the ops nested in it), summed by kind — convolution, attention,
 * normalization, linear layers, other ops — and the wall time outside any op, which is JNI and
 * Java overhead. A trace recorded with input shapes also gives the top ops by (op, input shapes),
 * with their call counts and time per call: which layer's softmax or convolution it is.
 */
public final class OpProfile {
    /** One complete ("ph":"X") event; {@code shapes} is its input shapes as traced, "" when not recorded. */
    record Event(String name, String thread, double start, double duration, String shapes) {}

    private OpProfile() {}

    /** The kind an op's self time counts toward. */
    static String kind(String op) {
        String n = op.toLowerCase(Locale.ROOT);
        if (n.contains("conv")) {
            return "convolution";
        }
        if (n.contains("bmm") || n.contains("softmax") || n.contains("scaled_dot_product") || n.contains("attention")) {
            return "attention";
        }
        if (n.contains("norm")) {
            return "normalization";
        }
        if (n.contains("addmm") || n.equals("aten::mm") || n.contains("linear") || n.equals("aten::matmul")
                || n.startsWith("mmbackward") || n.startsWith("aten::mm")) {
            return "linear";
        }
        return "other_ops";
    }

    /** Reads a trace and sums self times per kind, in milliseconds, with the share of {@code wallMs}. */
    public static Map<String, Object> summarize(Path trace, double wallMs) {
        List<Event> events = read(trace);
        Map<String, Double> selfMs = new LinkedHashMap<>();
        for (String k : List.of("convolution", "attention", "normalization", "linear", "other_ops")) {
            selfMs.put(k, 0.0);
        }
        Map<String, Double> byOp = new HashMap<>();
        Map<String, double[]> byShape = new HashMap<>(); // {self us, calls} per "op shapes"
        Map<String, List<Event>> perThread = new HashMap<>();
        for (Event e : events) {
            perThread.computeIfAbsent(e.thread(), t -> new ArrayList<>()).add(e);
        }
        double inOps = 0;
        for (List<Event> list : perThread.values()) {
            // parents first: earlier start, then the longer of two that start together
            list.sort(Comparator.comparingDouble(Event::start).thenComparing(Event::duration, Comparator.reverseOrder()));
            Deque<double[]> open = new ArrayDeque<>(); // {end, childTime} per open event
            Deque<Event> openEvents = new ArrayDeque<>();
            for (Event e : list) {
                while (!open.isEmpty() && open.peek()[0] <= e.start()) {
                    close(open.pop(), openEvents.pop(), selfMs, byOp, byShape);
                }
                if (open.isEmpty()) {
                    inOps += e.duration();
                } else {
                    open.peek()[1] += e.duration();
                }
                open.push(new double[] {e.start() + e.duration(), 0});
                openEvents.push(e);
            }
            while (!open.isEmpty()) {
                close(open.pop(), openEvents.pop(), selfMs, byOp, byShape);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("wall_ms", wallMs);
        out.put("ops", events.size());
        Map<String, Object> shares = new LinkedHashMap<>();
        selfMs.forEach((k, v) -> shares.put(k, v / 1000 / wallMs));
        shares.put("outside_ops", Math.max(0, wallMs - inOps / 1000) / wallMs);
        out.put("share_of_wall", shares);
        Map<String, Object> ms = new LinkedHashMap<>();
        selfMs.forEach((k, v) -> ms.put(k, v / 1000));
        ms.put("outside_ops", Math.max(0, wallMs - inOps / 1000));
        out.put("self_ms", ms);
        Map<String, Object> top = new LinkedHashMap<>();
        byOp.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
                .forEach(en -> top.put(en.getKey(), en.getValue() / 1000));
        out.put("top_ops_self_ms", top);
        if (!byShape.isEmpty()) {
            List<Map<String, Object>> shaped = new ArrayList<>();
            byShape.entrySet().stream().sorted(Comparator.comparingDouble(en -> -en.getValue()[0])).limit(20)
                    .forEach(en -> {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("op", en.getKey());
                        row.put("calls", (long) en.getValue()[1]);
                        row.put("self_ms", en.getValue()[0] / 1000);
                        row.put("ms_per_call", en.getValue()[0] / 1000 / en.getValue()[1]);
                        shaped.add(row);
                    });
            out.put("top_op_shapes", shaped);
        }
        return out;
    }

    private static void close(double[] frame, Event e, Map<String, Double> selfMs, Map<String, Double> byOp,
            Map<String, double[]> byShape) {
        double self = Math.max(0, e.duration() - frame[1]);
        selfMs.merge(kind(e.name()), self, Double::sum);
        byOp.merge(e.name(), self, Double::sum);
        if (!e.shapes().isEmpty()) {
            double[] acc = byShape.computeIfAbsent(e.name() + " " + e.shapes(), k -> new double[2]);
            acc[0] += self;
            acc[1] += 1;
        }
    }

    /** Complete events of a Chrome trace (a bare array or {"traceEvents": [...]}), times in microseconds. */
    static List<Event> read(Path trace) {
        List<Event> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory(new ObjectMapper()).createParser(trace.toFile())) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.getCurrentName();
                    p.nextToken();
                    if (field.equals("traceEvents")) {
                        readArray(p, out);
                    } else {
                        p.skipChildren();
                    }
                }
            } else if (t == JsonToken.START_ARRAY) {
                readArray(p, out);
            } else {
                throw new Ddpo4jException(trace + ": not a Chrome trace (expected an array or an object)");
            }
        } catch (IOException e) {
            throw new Ddpo4jException(trace + ": cannot read the profiler trace: " + e.getMessage(), e);
        }
        return out;
    }

    private static void readArray(JsonParser p, List<Event> out) throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String name = null;
            String ph = null;
            String tid = "";
            double ts = Double.NaN;
            double dur = Double.NaN;
            String shapes = "";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.getCurrentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "name" -> name = p.getValueAsString();
                    case "ph" -> ph = p.getValueAsString();
                    case "tid" -> tid = p.getValueAsString();
                    case "ts" -> ts = v.isNumeric() ? p.getDoubleValue() : Double.parseDouble(p.getValueAsString());
                    case "dur" -> dur = v.isNumeric() ? p.getDoubleValue() : Double.parseDouble(p.getValueAsString());
                    case "shape" -> shapes = v == JsonToken.START_ARRAY ? shapeText(p) : "";
                    default -> p.skipChildren();
                }
            }
            if ("X".equals(ph) && name != null && Double.isFinite(ts) && Double.isFinite(dur)) {
                out.add(new Event(name, tid, ts, dur, shapes));
            }
        }
    }

    /** The traced input shapes, e.g. {@code [[8, 8, 256, 256], [], []]}, as that text; "" when no shape has a dimension. */
    private static String shapeText(JsonParser p) throws IOException {
        JsonNode shapes = p.readValueAsTree();
        return hasNumber(shapes) ? text(shapes) : "";
    }

    private static boolean hasNumber(JsonNode n) {
        if (n.isNumber()) {
            return true;
        }
        for (JsonNode child : n) {
            if (hasNumber(child)) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode n) {
        if (!n.isArray()) {
            return n.asText();
        }
        StringJoiner items = new StringJoiner(", ", "[", "]");
        n.forEach(child -> items.add(text(child)));
        return items.toString();
    }
}
