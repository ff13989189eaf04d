package io.rankwise.examples;

import io.rankwise.frame.DFrame;
import io.rankwise.frame.Join;
import io.rankwise.frame.Table;
import io.rankwise.io.Csv;
import io.rankwise.io.Hdf5Tables;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Joins, sorts, de-duplication, statistics and writing, on the orders/customers fixtures:
 *
 * <pre>  bin/rankwise run -n 2 FrameJoins [DIR (test-data/frames)] [OUT (a temporary directory)]</pre>
 *
 * orders (3 CSV files) left-joined with customers (2 files) on {@code customer} by a hash shuffle,
 * sorted by amount (largest first), de-duplicated, described, then written as CSV (one file per
 * partition) and as an HDF5 table, and read back. Prints the same tables for any rank count.
 */
public final class FrameJoins implements Driver {
  @Override
  public void run(Session s, String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "test-data/frames");
    byte[] made = s.isRoot() ? (args.length > 1 ? args[1] : Files.createTempDirectory("rankwise-joins").toString())
        .getBytes(StandardCharsets.UTF_8) : null;
    Path out = Path.of(new String(s.comm().broadcastBytes(made, 0), StandardCharsets.UTF_8));

    DFrame orders = Csv.read(dir.resolve("orders.*.csv").toString());
    DFrame customers = Csv.read(dir.resolve("customers.*.csv").toString());
    DFrame joined = orders.merge(customers, Join.on("customer").how("left"));
    DFrame top = joined.sortValues(new String[] {"amount", "order_id"}, new boolean[] {false, true});
    s.out().println("orders left-joined with customers, largest amounts first (" + joined.npartitions()
        + " hash buckets):");
    s.out().println(top.select("order_id", "customer", "amount", "city", "tier").head(6));

    DFrame once = orders.dropDuplicates("customer", "amount");
    s.out().println("\ndropDuplicates(customer, amount): " + once.length() + " of " + orders.length() + " orders");
    s.out().println("\ndescribe() (exact quantiles):");
    s.out().println(orders.describe());

    Table byCity = joined.dropna("city").groupby("city").agg(java.util.Map.of("amount", "sum")).compute();
    s.out().println("\namount by city:");
    s.out().println(byCity);

    int files = top.toCsv(out.resolve("sorted/part-*.csv").toString()).size();
    top.toHdf(out.resolve("sorted.h5"), "orders");
    long csvRows = Csv.read(out.resolve("sorted/part-*.csv").toString()).length();
    long h5Rows = Hdf5Tables.read(out.resolve("sorted.h5"), "orders").length();
    s.out().println("\nwritten: " + files + " CSV files (" + csvRows + " rows read back), HDF5 table (" + h5Rows
        + " rows read back)");
  }
}
