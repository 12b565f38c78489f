package org.callchain.ledger.internal.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

class RocksNativeLibraryTest {
  @TempDir Path cache;

  @Test
  void extractsOneCompleteCopyPerVersionAndReusesIt() throws Exception {
    String name = Environment.getJniLibraryFileName("rocksdb");
    long size;
    try (var in = RocksDB.class.getClassLoader().getResourceAsStream(name)) {
      size = in.readAllBytes().length;
    }

    Path dir = RocksNativeLibrary.extract(cache);
    Path file = dir.resolve(name);
    assertThat(file).isRegularFile().hasSize(size);
    long written = Files.getLastModifiedTime(file).toMillis();

    assertThat(RocksNativeLibrary.extract(cache)).isEqualTo(dir);
    assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(written);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(file); // no ".partial" file left behind
    }
  }

  @Test
  void loadedLibraryOpensADatabase(@TempDir Path db) throws Exception {
    RocksNativeLibrary.load();
    try (Options options = new Options().setCreateIfMissing(true);
        RocksDB rocks = RocksDB.open(options, db.toString())) {
      rocks.put(new byte[] {1}, new byte[] {2});
      assertThat(rocks.get(new byte[] {1})).containsExactly(2);
    }
  }
}
