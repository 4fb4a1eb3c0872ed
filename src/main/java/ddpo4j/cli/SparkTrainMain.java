package ddpo4j.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The main class for {@code spark-submit}: {@code ddpo4j train} with the same arguments, its Spark
 * master and settings taken from spark-submit ({@code --spark} may still name another master).
 */
public final class SparkTrainMain {
    private SparkTrainMain() {}

    public static void main(String[] args) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(List.of(args));
        if (a.stream().noneMatch(x -> x.equals("--spark") || x.startsWith("--spark="))) {
            a.add("--spark");
            a.add(SparkTrain.SUBMITTED);
        }
        System.exit(Main.run(a.toArray(String[]::new)));
    }
}
