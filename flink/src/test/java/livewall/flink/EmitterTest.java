package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EmitterTest {
  @Test
  void aDayWritesAovAndBuyers() {
    Pending p = new Pending();
    p.day = true;
    p.start = 1795910400000L;
    p.gmvCents = 10025;
    p.paid = 3;
    p.buyers = 2;
    p.occur = 1795960000000d;
    Out[] out = Emitter.records(p);
    assertEquals("[\"aov\",\"1d\",1795910400000,[]]", out[0].key);
    assertEquals(
        "{\"name\":\"aov\",\"value\":33.416666666666664,\"occur\":1795960000000,\"window\":\"1d\",\"start\":1795910400000,\"dims\":{}}",
        out[0].json);
    assertEquals(
        "{\"name\":\"buyers\",\"value\":2,\"occur\":1795960000000,\"window\":\"1d\",\"start\":1795910400000,\"dims\":{}}",
        out[1].json);
  }

  @Test
  void gmvInCentsPrecisionAndAnEmptiedGroupAsZero() {
    Pending p = new Pending();
    p.name = "gmv";
    p.win = "1m";
    p.start = 60000;
    p.dim = "level";
    p.dval = "null";
    p.value = 1234567;
    p.occur = 61000;
    assertEquals(
        "{\"name\":\"gmv\",\"value\":12345.67,\"occur\":61000,\"window\":\"1m\",\"start\":60000,\"dims\":{\"level\":null}}",
        Emitter.records(p)[0].json);
    p.value = 0;
    assertEquals(
        "{\"name\":\"gmv\",\"value\":0,\"occur\":61000,\"window\":\"1m\",\"start\":60000,\"dims\":{\"level\":null}}",
        Emitter.records(p)[0].json);
  }

  @Test
  void aDayWhoseGmvIsOutOfRangeWritesNoAov() {
    Pending p = new Pending();
    p.day = true;
    p.start = 1795910400000L;
    p.gmvCents = 10025;
    p.paid = 3;
    p.buyers = 2;
    p.gmvOutOfRange = true;
    Out[] out = Emitter.records(p);
    assertEquals(1, out.length);
    assertEquals("[\"buyers\",\"1d\",1795910400000,[]]", out[0].key);
  }
}
