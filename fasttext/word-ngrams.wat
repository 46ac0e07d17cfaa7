;; fastText's word n-gram buckets with native 64-bit integers (see word-ngrams.ts for the arithmetic).
;; The word hashes (int32) sit at address 0; buckets(count, wordNgrams, bucket, out) writes each n-gram's
;; bucket as an int32 from byte address `out` on, in fastText's order, and returns how many it wrote.
(module
  (memory (export "memory") 1)
  (func (export "buckets") (param $count i32) (param $ngrams i32) (param $bucket i32) (param $out i32) (result i32)
    (local $i i32) (local $j i32) (local $end i32) (local $n i32) (local $h i64) (local $m i64)
    (local.set $m (i64.extend_i32_u (local.get $bucket)))
    (block $done
      (loop $words
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $h (i64.extend_i32_s (i32.load (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $end (i32.add (local.get $i) (local.get $ngrams)))
        (if (i32.gt_u (local.get $end) (local.get $count)) (then (local.set $end (local.get $count))))
        (local.set $j (i32.add (local.get $i) (i32.const 1)))
        (block $last
          (loop $grams
            (br_if $last (i32.ge_u (local.get $j) (local.get $end)))
            (local.set $h
              (i64.add
                (i64.mul (local.get $h) (i64.const 116049371))
                (i64.extend_i32_s (i32.load (i32.shl (local.get $j) (i32.const 2))))))
            (i32.store
              (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2)))
              (i32.wrap_i64 (i64.rem_u (local.get $h) (local.get $m))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $grams)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $words)))
    (local.get $n)))
