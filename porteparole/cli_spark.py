"""Commands for crawl-scale runs: ``spark extract`` (Apache Spark) and ``load`` (into the record).

Thin shells over :mod:`porteparole.spark` and :mod:`porteparole.load`.
"""
from __future__ import annotations

import sys
from typing import Optional

import click

from .cli import _errors, cli
from .cli_record import db_option
from .ingest import DEFAULT_MAX_BYTES


@cli.group("spark")
def spark_group() -> None:
    """Run the extraction on Apache Spark (pip install 'porteparole[spark]'; Java 17 or 21)."""


@spark_group.command("extract")
@click.argument("pattern")
@click.option("--out", required=True, help="Output folder (path or URI), replaced: the statements as Parquet, "
                                            "partitioned by published_month and lang; the articles in OUT/_articles.")
@click.option("--failures", help="Where the failures go as Parquet (default: OUT/_failures).")
@click.option("--master", default=None,
              help="Spark master: local[N], local[*], spark://host:7077… (default: spark-submit's, else local[*]).")
@click.option("--partitions", type=int, default=None,
              help="Extraction tasks (default: one per file when there are many files, else twice the cores).")
@click.option("--driver-memory", default="1g", show_default=True, help="Memory of the driver (local mode: of Spark).")
@click.option("--max-size", type=float, default=DEFAULT_MAX_BYTES / 1e6, show_default=True,
              help="Largest web-archive record, in MB.")
def spark_extract_cmd(pattern: str, out: str, failures: Optional[str], master: Optional[str],
                      partitions: Optional[int], driver_memory: str, max_size: float) -> None:
    """Extract the statements of the web archives matching PATTERN (a path or glob: local,
    hdfs://, s3a://…; quote it) on Spark.

    Every record that cannot be read or analysed goes to the failures dataset with its
    reason; the job goes on.  `porteparole load OUT` stores the result in the record.
    """
    if partitions is not None and partitions < 1:
        raise click.UsageError("--partitions must be at least 1")
    with _errors():
        from .spark import run_extract, spark_session

        spark = spark_session(master, driver_memory=driver_memory)
        try:
            summary = run_extract(spark, pattern, out, failures=failures, partitions=partitions,
                                  max_bytes=int(max_size * 1e6))
        finally:
            spark.stop()
    click.echo(summary.line(), err=True)
    click.echo(f"statements: {summary.out}  articles: {summary.articles_path}  failures: {summary.failures_path}",
               err=True)


@cli.command("load")
@click.argument("dataset", type=click.Path(file_okay=False))
@db_option
@click.option("--failures", type=click.Path(file_okay=False), help="The failures dataset (default: DATASET/_failures).")
@click.option("--batch-size", type=int, default=100, show_default=True, help="Articles stored per transaction.")
def load_cmd(dataset: str, db: str, failures: Optional[str], batch_size: int) -> None:
    """Store the output of `porteparole spark extract` (the folder DATASET) in the record.

    Articles already in the record (same URL or same text) are not stored again, so
    running the same load twice stores nothing the second time.
    """
    from .load import load_dataset
    from .store import Store

    err = sys.stderr
    with _errors(), Store.open(db) as store:
        summary = load_dataset(store, dataset, failures=failures, batch=batch_size,
                               progress=lambda n: err.write(f"porteparole load: {n} read\n") if n % 1000 == 0 else None)
        counts = store.counts()
    click.echo(summary.line(), err=True)
    click.echo(f"record {db}: {counts['articles']} articles, {counts['statements']} statements, "
               f"{counts['speakers']} speakers, {counts['failures']} failures", err=True)
