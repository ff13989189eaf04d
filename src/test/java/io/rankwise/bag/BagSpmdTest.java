package io.rankwise.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankwise.frame.ColumnType;
import io.rankwise.frame.DFrame;
import io.rankwise.frame.Table;
import io.rankwise.runtime.Session;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bags on real ranks (1, 2, 4 and more ranks than files) against plain-Java references computed
 * from the same files; bad lines, empty files, a last line without newline, UTF-8.
 */
@SpmdRanks(mpi = {1, 2, 4, 5}, local = {1, 3})
class BagSpmdTest extends SpmdTestCase {
  static Path data(String dir) {
    return Path.of(System.getProperty("rankwise.home", ".")).resolve("test-data").resolve(dir);
  }

  static String glob() {
    return data("people").resolve("*.json").toString();
  }

  /** The reference: every record of the committed files, in file then line order. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> reference() {
    List<Map<String, Object>> out = new ArrayList<>();
    ObjectMapper m = new ObjectMapper();
    try {
      List<Path> files = new ArrayList<>();
      try (var ds = Files.newDirectoryStream(data("people"), "*.json")) {
        ds.forEach(files::add);
      }
      files.sort(null);
      for (Path f : files) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          out.add(m.readValue(line, LinkedHashMap.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static int age(Map<String, Object> r) {
    return ((Number) r.get("age")).intValue();
  }

  @SpmdTest
  void readTakeFilterCountAgainstTheFiles(Session s) {
    List<Map<String, Object>> ref = reference();
    Bag<Map<String, Object>> b = Bags.readJson(glob(), Bags.OnError.FAIL);
    assertEquals(4, b.npartitions());
    assertEquals(ref.size(), b.count());
    assertEquals(ref.subList(0, 2), b.take(2));
    assertEquals(ref.subList(0, 30), b.take(30)); // crosses the first file
    Bag<Map<String, Object>> over30 = b.filter(r -> age(r) > 30);
    assertEquals(ref.stream().filter(r -> age(r) > 30).count(), over30.count());
    assertEquals(ref.stream().filter(r -> age(r) > 30).limit(2).toList(), over30.take(2));
    assertEquals(ref, b.compute());
  }

  @SpmdTest
  void reductionsAgainstPlainJava(Session s) {
    List<Map<String, Object>> ref = reference();
    Bag<Map<String, Object>> b = Bags.readJson(glob(), Bags.OnError.FAIL);
    double[] ages = ref.stream().mapToDouble(BagSpmdTest::age).toArray();
    double mean = java.util.Arrays.stream(ages).average().orElseThrow();
    double var = java.util.Arrays.stream(ages).map(a -> (a - mean) * (a - mean)).sum() / ages.length;
    assertEquals(java.util.Arrays.stream(ages).sum(), b.sum(BagSpmdTest::age), 1e-9);
    assertEquals(mean, b.mean(BagSpmdTest::age), 1e-12);
    assertEquals(Math.sqrt(var), b.std(BagSpmdTest::age), 1e-12);
    assertEquals(java.util.Arrays.stream(ages).min().orElseThrow(), b.min(BagSpmdTest::age));
    assertEquals(java.util.Arrays.stream(ages).max().orElseThrow(), b.max(BagSpmdTest::age));

    Map<Object, Long> freq = new TreeMap<>(Comparator.comparing(String::valueOf));
    ref.forEach(r -> freq.merge(r.get("occupation"), 1L, Long::sum));
    List<Map.Entry<Object, Long>> got = b.pluck("occupation").frequencies();
    assertEquals(freq.size(), got.size());
    for (Map.Entry<Object, Long> e : got) {
      assertEquals(freq.get(e.getKey()), e.getValue(), "frequency of " + e.getKey());
    }
    for (int i = 1; i < got.size(); i++) {
      assertTrue(got.get(i - 1).getValue() >= got.get(i).getValue(), "most frequent first");
    }
    assertEquals(new ArrayList<>(freq.keySet()), b.pluck("occupation").distinct());

    List<Integer> top = b.map(BagSpmdTest::age).topk(3, Comparator.naturalOrder());
    List<Integer> sorted = ref.stream().map(BagSpmdTest::age).sorted(Comparator.reverseOrder()).limit(3).toList();
    assertEquals(sorted, top);

    Map<Object, Integer> ageByJob = new TreeMap<>(Comparator.comparing(String::valueOf));
    ref.forEach(r -> ageByJob.merge(r.get("occupation"), age(r), Integer::sum));
    Map<Object, Integer> folded = b.foldby(r -> r.get("occupation"), (acc, r) -> acc + age(r), () -> 0, Integer::sum);
    assertEquals(new ArrayList<>(ageByJob.entrySet()), new ArrayList<>(folded.entrySet()));
  }

  @SpmdTest
  void groupbyShufflesWholeGroupsInOrder(Session s) {
    List<Map<String, Object>> ref = reference();
    Bag<Map<String, Object>> b = Bags.readJson(glob(), Bags.OnError.FAIL);
    Map<Object, List<Integer>> expected = new TreeMap<>(Comparator.comparing(String::valueOf));
    ref.forEach(r -> expected.computeIfAbsent(r.get("occupation"), k -> new ArrayList<>()).add(age(r)));
    Map<Object, List<Integer>> got = new TreeMap<>(Comparator.comparing(String::valueOf));
    Bag<Map.Entry<Object, List<Map<String, Object>>>> groups = b.groupby(r -> r.get("occupation"));
    assertEquals(b.npartitions(), groups.npartitions(), "buckets do not depend on the rank count");
    for (Map.Entry<Object, List<Map<String, Object>>> e : groups.compute()) {
      if (got.put(e.getKey(), e.getValue().stream().map(BagSpmdTest::age).toList()) != null) {
        fail("group " + e.getKey() + " came twice");
      }
    }
    assertEquals(expected, got, "every group whole, items in input order");
  }

  @SpmdTest
  void conversionsFlatMapAndSequences(Session s) throws IOException {
    List<Map<String, Object>> ref = reference();
    Bag<Map<String, Object>> b = Bags.readJson(glob(), Bags.OnError.FAIL);
    @SuppressWarnings("unchecked")
    List<Object> names = b.flatMap(r -> (List<Object>) r.get("name")).compute();
    assertEquals(2 * ref.size(), names.size());
    LinkedHashMap<String, ColumnType> schema = new LinkedHashMap<>();
    schema.put("age", ColumnType.INT64);
    schema.put("occupation", ColumnType.STRING);
    DFrame df = b.toDataFrame(schema);
    Table means = df.groupby("occupation").column("age").mean().compute();
    Map<Object, double[]> acc = new TreeMap<>(Comparator.comparing(String::valueOf));
    ref.forEach(r -> {
      double[] a = acc.computeIfAbsent(r.get("occupation"), k -> new double[2]);
      a[0] += age(r);
      a[1]++;
    });
    int i = 0;
    for (Map.Entry<Object, double[]> e : acc.entrySet()) {
      assertEquals(e.getKey(), means.index().getString(i));
      assertEquals(e.getValue()[0] / e.getValue()[1], means.column("age").getDouble(i), 1e-12);
      i++;
    }
    List<Integer> seq = new ArrayList<>();
    for (int k = 0; k < 11; k++) {
      seq.add(k * k);
    }
    assertEquals(seq, Bags.fromSequence(seq, 4).compute());
    assertEquals(seq.subList(0, 5), Bags.fromSequence(seq, 7).take(5));
    // round trip through text files, written by every rank into a shared directory
    byte[] dir = s.rank() == 0 ? Files.createTempDirectory("rankwise-bag").toString().getBytes(StandardCharsets.UTF_8)
        : null;
    String out = new String(s.comm().broadcastBytes(dir, 0), StandardCharsets.UTF_8) + "/part-*.json";
    List<Path> written = b.toTextFiles(out);
    assertEquals(4, written.size());
    assertEquals(ref, Bags.readJson(out.replace("part-*", "part-*"), Bags.OnError.FAIL).compute());
  }

  @SpmdTest
  void badLinesFailWithFileAndLineOrAreSkippedAndCounted(Session s) {
    String bad = data("people-bad").resolve("*.json").toString();
    try {
      Bags.readJson(bad, Bags.OnError.FAIL).count();
      fail("a malformed line must fail the read");
    } catch (io.rankwise.graph.TaskFailedException | io.rankwise.graph.RemoteFailureException e) {
      // the rank that read a.json has the task failure, every other rank hears of it
      assertTrue(e.getMessage().contains("a.json, line 2: not valid JSON"), e.getMessage());
      assertTrue(e.getMessage().contains("Bags.OnError.SKIP"), e.getMessage());
    }
    Bag<Map<String, Object>> ok = Bags.readJson(bad, Bags.OnError.SKIP);
    assertEquals(4, ok.count(), "31, 52 (a.json), nothing (empty b.json), 29, 61 (c.json, no final newline)");
    @SuppressWarnings("unchecked")
    List<Object> names = ok.flatMap(r -> (List<Object>) r.get("name")).compute();
    assertTrue(names.contains("Çelik") && names.contains("Öberg"), names.toString());
    assertEquals(List.of("{\"age\": 29, \"name\": [\"Eve\", \"Ng\"]}", "{\"age\": 61, \"name\": [\"Åsa\", \"Öberg\"]}"),
        Bags.readText(data("people-bad").resolve("c.json").toString()).compute());
  }

  /** Skipped lines are still counted after a shuffle groupby (they used to be dropped there). */
  @SpmdTest
  void skippedLinesSurviveAGroupbyShuffle(Session s) {
    String bad = data("people-bad").resolve("*.json").toString();
    Bag<Map.Entry<Object, List<Map<String, Object>>>> g = Bags.readJson(bad, Bags.OnError.SKIP)
        .groupby(r -> ((Number) r.get("age")).intValue() / 10);
    Object[] parts = new io.rankwise.graph.Outputs(g.layer(), g.outputKeys())
        .compute(io.rankwise.graph.ComputeOptions.DEFAULT);
    long skipped = 0;
    String first = null;
    long items = 0;
    for (Object o : parts) {
      Part p = (Part) o;
      items += p.items().size() == 0 ? 0 : p.items().stream().mapToLong(e -> ((Map.Entry<?, List<?>>) e).getValue().size())
          .sum();
      skipped += p.skipped;
      first = first == null ? p.firstSkipped : first;
    }
    assertEquals(4, items, "every good record is in a group");
    assertEquals(1, skipped, "the bad line of a.json is still counted");
    assertTrue(first.contains("a.json, line 2"), first);
  }

  /** Items that are immutable JDK collections or lack a no-argument constructor travel between ranks. */
  @SpmdTest
  void itemsOfAnyCollectionKindMoveBetweenRanks(Session s) {
    java.util.List<Integer> seq = java.util.stream.IntStream.range(0, 40).boxed().toList();
    java.util.List<Object> got = Bags.fromSequence(seq, 8).map(i -> (Object) switch (i % 5) {
      case 0 -> java.util.List.of(i, i + 1);
      case 1 -> java.util.Map.of("k", i);
      case 2 -> java.util.Set.of(i);
      case 3 -> java.util.Arrays.asList(i, -i);
      default -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(java.util.List.of(i)));
    }).compute();
    for (int i = 0; i < 40; i++) {
      Object want = switch (i % 5) {
        case 0 -> java.util.List.of(i, i + 1);
        case 1 -> java.util.Map.of("k", i);
        case 2 -> java.util.Set.of(i);
        case 3 -> java.util.List.of(i, -i);
        default -> java.util.List.of(i);
      };
      assertEquals(want, got.get(i), "item " + i);
    }
  }

  /** A directory every rank sees (rank 0 makes it). */
  static Path sharedDir(Session s) throws IOException {
    byte[] dir = s.rank() == 0 ? Files.createTempDirectory("rankwise-bag").toString().getBytes(StandardCharsets.UTF_8)
        : null;
    return Path.of(new String(s.comm().broadcastBytes(dir, 0), StandardCharsets.UTF_8));
  }

  @SpmdTest
  void linesCanCarryTheirFile(Session s) throws Exception {
    String glob = data("people").resolve("*.json").toString();
    List<String> lines = Bags.readText(glob).compute();
    List<Path> files = Bags.files(glob);
    for (long bs : new long[] {0, 500}) {
      List<Bags.Line> withPath = Bags.readTextWithPath(glob, bs).compute();
      assertEquals(lines, withPath.stream().map(Bags.Line::text).toList(), "the same lines, blocksize " + bs);
      int k = 0;
      for (Path f : files) { // each file's lines, in order, carry its path
        for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          assertEquals(new Bags.Line(l, f.toString()), withPath.get(k++), "blocksize " + bs);
        }
      }
      assertEquals(withPath.size(), k);
    }
    // items travel between ranks (a shuffle) and keep their path
    List<Long> perFile = Bags.readTextWithPath(glob, 300).groupby(Bags.Line::path).compute().stream()
        .map(e -> (long) e.getValue().size()).toList();
    assertEquals(files.size(), perFile.size());
    assertEquals((long) lines.size(), perFile.stream().mapToLong(Long::longValue).sum());
  }

  @SpmdTest
  void blocksAndCompressedFilesGiveTheSameLines(Session s) throws Exception {
    String glob = data("people").resolve("*.json").toString();
    List<String> whole = Bags.readText(glob, 0).compute();
    for (long bs : new long[] {37, 1000, 4096}) {
      Bag<String> b = Bags.readText(glob, bs);
      assertEquals(whole, b.compute(), "blocksize " + bs);
      assertTrue(bs > 1000 || b.npartitions() > 4, "small blocks make more partitions: " + b.npartitions());
    }
    Path dir = sharedDir(s);
    if (s.rank() == 0) {
      byte[] text = String.join("\n", whole).getBytes(StandardCharsets.UTF_8);
      try (var o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(dir.resolve("all.json.gz")))) {
        o.write(text);
      }
      try (var o = new org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream(
          Files.newOutputStream(dir.resolve("all.json.bz2")))) {
        o.write(text);
      }
      try (var o = new org.apache.commons.compress.compressors.xz.XZCompressorOutputStream(
          Files.newOutputStream(dir.resolve("all.json.xz")))) {
        o.write(text);
      }
      Files.writeString(dir.resolve("all.json.zst"), "not really zstd");
    }
    s.comm().barrier();
    for (String ext : List.of("gz", "bz2", "xz")) {
      Bag<String> c = Bags.readText(dir.resolve("all.json." + ext).toString(), 100);
      assertEquals(1, c.npartitions(), "compressed files are never cut");
      assertEquals(whole, c.compute(), ext);
      assertEquals(Bags.readJson(glob, Bags.OnError.FAIL).count(),
          Bags.readJson(dir.resolve("all.json." + ext).toString(), Bags.OnError.FAIL).count());
    }
    io.rankwise.testing.OneRank.assertFails(() -> Bags.readText(dir.resolve("all.json.zst").toString()).count(),
        "zst-compressed files are not supported (gzip, bzip2 and xz are); decompress it first");
  }

  @SpmdTest
  void badLinesInLaterBlocksNameTheirLineInTheFile(Session s) throws Exception {
    Path dir = sharedDir(s);
    if (s.rank() == 0) {
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i <= 200; i++) {
        sb.append(i == 150 ? "{\"age\": oops}" : "{\"age\": " + i + "}").append('\n');
      }
      Files.writeString(dir.resolve("late.json"), sb.toString());
    }
    s.comm().barrier();
    String f = dir.resolve("late.json").toString();
    io.rankwise.testing.OneRank.assertFails(() -> Bags.readJson(f, Bags.OnError.FAIL, 256).count(),
        "late.json, line 150: not valid JSON");
    assertEquals(199, Bags.readJson(f, Bags.OnError.SKIP, 256).count());
  }
}
