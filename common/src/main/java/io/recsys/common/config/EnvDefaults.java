package io.recsys.common.config;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Lets every command-line option also come from the environment, as containers and Kubernetes
 * ConfigMaps prefer: {@code --max-batch-rows} reads {@code RECSYS_MAX_BATCH_ROWS}. A flag given on
 * the command line wins over the environment, which wins over the built-in default.
 */
public final class EnvDefaults implements IDefaultValueProvider {

  @Override
  public String defaultValue(ArgSpec arg) {
    if (arg instanceof OptionSpec opt) {
      String value = System.getenv(envName(opt.longestName()));
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return arg.defaultValue();
  }

  /** "--max-batch-rows" -> "RECSYS_MAX_BATCH_ROWS". */
  public static String envName(String option) {
    return "RECSYS_" + option.replaceFirst("^-+", "").replace('-', '_').toUpperCase(java.util.Locale.ROOT);
  }
}
