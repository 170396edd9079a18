package io.recsys.models.eval;

import io.recsys.common.candidates.CandidateQuotas;
import io.recsys.common.config.EnvDefaults;
import io.recsys.models.data.Dataset;
import io.recsys.models.data.io.DatasetFormat;
import io.recsys.models.eval.cold.ColdItemReport;
import io.recsys.models.eval.cold.ColdItemRun;
import io.recsys.models.train.RankerConfig;
import io.recsys.models.train.SequenceConfig;
import io.recsys.models.train.TwoTowerConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recsys evaluate}: every model under one protocol (leave-last-out or temporal), written up as a report. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, defaultValueProvider = EnvDefaults.class,
    description = "Train every model on the training part of a leave-last-out or temporal split and compare them on the "
        + "test items (all items ranked). Writes report.md, report.json and PNG plots to --out.")
public final class EvaluateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--data", required = true, description = "Directory of the data set.")
  Path data;

  @Option(names = "--format", defaultValue = "generic",
      description = "movielens-100k | movielens-1m | movielens-latest | generic (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--out", defaultValue = "eval-report", description = "Report directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--protocol", defaultValue = "leave-last-out",
      description = "leave-last-out (each user's last interaction is the test) | temporal (one global cut time; "
          + "each user's first interaction after it is the test) | cold-items (a share of the items held out of "
          + "training, ranked among themselves: the cold_start model and its baselines) (default: ${DEFAULT-VALUE}).")
  String protocol;

  @Option(names = "--cold-share", defaultValue = "0.1",
      description = "cold-items: the share of the items with interactions held out of training (default: "
          + "${DEFAULT-VALUE}).")
  double coldShare;

  @Option(names = "--temporal-cut", defaultValue = "0.8",
      description = "temporal: the cut time as a quantile of all interaction times (default: ${DEFAULT-VALUE}).")
  double cutQuantile;

  @Option(names = "--models", split = ",",
      defaultValue = "popularity,itemknn,itemknn_recency,item2item,ease,ease_recency,two_tower,sequence,two_stage",
      description = "Models to run (default: ${DEFAULT-VALUE}).")
  List<String> models;

  @Option(names = "--k", split = ",", defaultValue = "5,10,20,50",
      description = "Cut-offs k of the metrics; 10 and 20 are always included (default: ${DEFAULT-VALUE}).")
  int[] ks;

  @Option(names = "--ease-lambdas", split = ",", defaultValue = "100,300,1000",
      description = "EASE L2 weights tried on validation (default: ${DEFAULT-VALUE}).")
  double[] easeLambdas;

  @Option(names = "--knn-neighbours", split = ",", defaultValue = "10,20,50,100,200",
      description = "Item-kNN neighbourhood sizes tried on validation (default: ${DEFAULT-VALUE}).")
  int[] knnNeighbours;

  @Option(names = "--recency-decays", split = ",", defaultValue = "0.1,0.25,0.4,0.55,0.7,0.8,0.9,0.95,1",
      description = "Decays tried on validation by itemknn_recency and ease_recency: history item h weighs "
          + "decay^(age of h), age 0 the newest (default: ${DEFAULT-VALUE}).")
  double[] recencyDecays;

  @Option(names = "--epochs", defaultValue = "20", description = "Two-tower epochs at most (early stopping).")
  int epochs;

  @Option(names = "--dim", defaultValue = "64", description = "Embedding size.")
  int dim;

  @Option(names = "--history-length", defaultValue = "20", description = "Items of history the user tower sees.")
  int historyLength;

  @Option(names = "--batch-size", defaultValue = "256", description = "Two-tower batch (in-batch negatives).")
  int batchSize;

  @Option(names = "--learning-rate", defaultValue = "0.003", description = "Two-tower Adam learning rate.")
  float learningRate;

  @Option(names = "--temperature", defaultValue = "0.1", description = "Two-tower softmax temperature.")
  float temperature;

  @Option(names = "--ranker-epochs", defaultValue = "4", description = "Ranker epochs.")
  int rankerEpochs;

  @Option(names = "--two-tower-k", description = "Candidates from the two-tower source for two_stage (default: as served, 200).")
  Integer twoTowerK;

  @Option(names = "--popular-k", description = "Candidates from the popular source for two_stage (default: as served, 100).")
  Integer popularK;

  @Option(names = "--item2item-k", description = "Candidates from the item2item source for two_stage, 0 = off "
      + "(default: as served, 100).")
  Integer item2itemK;

  @Option(names = "--ranker-positions", defaultValue = "20",
      description = "Latest training positions per user that become ranker examples.")
  int rankerPositions;

  @Option(names = "--ranker-windows", defaultValue = "2",
      description = "Windows of --ranker-positions per user, newest first, that become ranker examples, each with"
          + " candidates from sources fitted on what comes before it; a further one only while there are fewer than"
          + " 20,000 examples.")
  int rankerWindows;

  @Option(names = "--ranker-negatives", defaultValue = "32", description = "Merged candidates drawn as negatives per ranker positive.")
  int rankerNegatives;

  @Option(names = "--ranker-members", defaultValue = "3",
      description = "DeepFM networks trained side by side whose logits the ranker averages.")
  int rankerMembers;

  @Option(names = "--ranker-loss", defaultValue = "listwise",
      description = "listwise (softmax over each positive and its negatives) | pointwise (log-loss per candidate).")
  String rankerLoss;

  @Option(names = "--threads", description = "Threads for the linear algebra (default: all cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--seed", defaultValue = "1234", description = "Random seed.")
  long seed;

  @Option(names = "--seeds", split = ",", description = "Seeds of the neural models, instead of --seed: each is "
      + "trained once per seed and reported as the mean and spread (max - min) over them, e.g. 1,2,3.")
  long[] seeds;

  @Option(names = "--sequence", split = ",", description = "Sequence model knobs, KNOB=VALUE, e.g. "
      + "dropout=0.3,length=100; knobs: dim, length, blocks, batch, negatives, epochs, learning-rate, temperature, "
      + "dropout, patience (defaults: io.recsys.models.train.SequenceConfig#defaults).")
  Map<String, String> sequenceKnobs = Map.of();

  @Override
  public Integer call() throws Exception {
    Set<String> chosen = new LinkedHashSet<>(models);
    for (String m : chosen) {
      if (!EvaluationRun.MODELS.contains(m)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "unknown model '" + m + "'; expected some of " + EvaluationRun.MODELS);
      }
    }
    if (!EvalSplit.PROTOCOLS.contains(protocol) && !protocol.equals(ColdItemRun.PROTOCOL)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "unknown protocol '" + protocol + "'; expected one of " + EvalSplit.PROTOCOLS + " or " + ColdItemRun.PROTOCOL);
    }
    if (!(cutQuantile > 0 && cutQuantile < 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--temporal-cut must lie in (0, 1), got " + cutQuantile);
    }
    for (double d : recencyDecays) {
      if (!(d > 0 && d <= 1)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--recency-decays must lie in (0, 1], got " + d);
      }
    }
    int[] allKs = IntStream.concat(Arrays.stream(ks), IntStream.of(10, 20)).filter(k -> k > 0)
        .distinct().sorted().toArray();
    TwoTowerConfig d = TwoTowerConfig.defaults();
    TwoTowerConfig tower = new TwoTowerConfig(dim, historyLength, d.hidden(), batchSize, epochs,
        learningRate, temperature, d.userDropout(), seed);
    RankerConfig r = RankerConfig.defaults();
    if (!rankerLoss.equals("listwise") && !rankerLoss.equals("pointwise")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--ranker-loss must be listwise or pointwise, got "
          + rankerLoss);
    }
    CandidateQuotas served = CandidateQuotas.SERVED;
    CandidateQuotas quotas = new CandidateQuotas(twoTowerK == null ? served.twoTower() : twoTowerK,
        popularK == null ? served.popular() : popularK, item2itemK == null ? served.item2item() : item2itemK);
    RankerConfig ranker = new RankerConfig(r.fieldDim(), r.hidden1(), r.hidden2(), r.groupsPerBatch(), rankerEpochs,
        r.learningRate(), rankerPositions, rankerWindows, quotas, rankerNegatives, rankerLoss.equals("listwise"),
        rankerMembers, seed);
    long t0 = System.nanoTime();
    if (protocol.equals(ColdItemRun.PROTOCOL)) {
      return coldItems(tower);
    }
    DatasetFormat dataFormat = DatasetFormat.of(format);
    Dataset ds = dataFormat.read(data);
    if (dataFormat.timedItemText()) {
      // no model may read item text (MovieLens tags) written after the end of its training data
      ds = dataFormat.read(data, EvalSplit.of(protocol, ds.histories(), cutQuantile).trainingCutoffMs());
    }
    System.out.printf("[data] read %s (%s) in %.1fs%n", data, format, (System.nanoTime() - t0) / 1e9);
    EvaluationRun.Options options = new EvaluationRun.Options(protocol, cutQuantile, allKs, easeLambdas,
        knnNeighbours, recencyDecays, tower, ranker, seeds == null ? new long[] {seed} : seeds, chosen, threads);
    EvaluationRun.Outcome outcome = new EvaluationRun(options, sequenceConfig(), System.out::println).run(ds);
    String command = commandLine();
    ReportWriter.write(out, outcome, allKs, command);
    System.out.printf("[report] %s written (%.1fs total)%n", out.resolve("report.md"), (System.nanoTime() - t0) / 1e9);
    return 0;
  }

  /** The cold-item protocol: its own split, models and report (see {@link ColdItemRun}). */
  private int coldItems(TwoTowerConfig tower) throws Exception {
    if (!(coldShare > 0 && coldShare < 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--cold-share must lie in (0, 1), got " + coldShare);
    }
    long t0 = System.nanoTime();
    // no tags at all: a new item has none, and they are written by the users who interacted with it
    Dataset ds = DatasetFormat.of(format).read(data, Long.MIN_VALUE);
    System.out.printf("[data] read %s (%s) in %.1fs%n", data, format, (System.nanoTime() - t0) / 1e9);
    ColdItemRun.Outcome outcome = new ColdItemRun(new ColdItemRun.Options(coldShare, seed,
        seeds == null ? new long[] {seed} : seeds, tower, recencyDecays), System.out::println).run(ds);
    ColdItemReport.write(out, outcome, commandLine());
    System.out.printf("[report] %s written (%.1fs total)%n", out.resolve("report.md"), (System.nanoTime() - t0) / 1e9);
    return 0;
  }

  private SequenceConfig sequenceConfig() {
    try {
      return SequenceConfig.defaults().with(sequenceKnobs);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--sequence: " + e.getMessage());
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new EvaluateCommand()).execute(args));
  }

  /** The command as typed, for the report: the parse result of a subcommand holds the whole command line. */
  private String commandLine() {
    List<String> args = new java.util.ArrayList<>(spec.commandLine().getParseResult().originalArgs());
    if (!args.isEmpty() && args.get(0).equals(spec.name())) {
      args.remove(0);
    }
    return "bin/recsys evaluate " + String.join(" ", args);
  }
}
