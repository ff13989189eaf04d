package io.rankwise.examples;

import io.rankwise.bag.Bag;
import io.rankwise.bag.Bags;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.util.Map;

/**
 * The tutorial's bag example:
 *
 * <pre>
 *   b = db.read_text('data/*.json').map(json.loads)
 *   b.take(2)
 *   c = b.filter(lambda record: record['age'] > 30)
 *   c.take(2)
 *   b.count().compute()
 * </pre>
 *
 * {@code bin/rankwise run -n 2 BagTour ["test-data/people/*.json"]}
 *
 * <p>The exercise asks why printing {@code b} shows no values: a bag is lazy — it is a recipe of
 * tasks (read each file, parse each line), and nothing is read until a result is asked for with
 * {@code take}, {@code count} or {@code compute}.
 */
public final class BagTour implements Driver {
  @Override
  public void run(Session s, String[] args) {
    String glob = args.length > 0 ? args[0] : "test-data/people/*.json";
    Bag<Map<String, Object>> b = Bags.readText(glob).map(BagTour::parse);
    s.out().println(b + "   <- lazy: no file has been read yet");
    s.out().println("take(2): " + b.take(2));
    Bag<Map<String, Object>> c = b.filter(r -> ((Number) r.get("age")).intValue() > 30);
    s.out().println("filter(age > 30).take(2): " + c.take(2));
    Map<Object, Long> byJob = b.foldby(r -> r.get("occupation"), (n, r) -> n + 1, () -> 0L, Long::sum);
    s.out().println("foldby occupation: " + byJob);
    s.out().println("over30=" + c.count() + " total=" + b.count());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String line) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readValue(line, Map.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + line, e);
    }
  }
}
