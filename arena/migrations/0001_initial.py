from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.CharField(max_length=40)),
                ('actor', fields.CharField(max_length=100)),
                ('action', fields.CharField(max_length=40)),
                ('subject', fields.CharField(max_length=100)),
                ('payload', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('prev_hash', fields.CharField(max_length=64)),
                ('entry_hash', fields.CharField(unique=True, max_length=64)),
            ],
            options={'table': 'auditevent', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One score-changing event: its hash covers its canonical JSON, incl. the previous hash.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuditHead',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('last_id', fields.IntField(default=0)),
                ('last_hash', fields.CharField(max_length=64)),
            ],
            options={'table': 'audithead', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The single row that serialises appends to the chain (locked FOR UPDATE on PostgreSQL).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Campaign',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'campaign', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A pilot campaign (试点行动): rounds of the same campaign are compared with each other.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Round',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('campaign', fields.ForeignKeyField('models.Campaign', source_field='campaign_id', db_constraint=True, to_field='id', related_name='rounds', on_delete=OnDelete.RESTRICT)),
                ('name', fields.CharField(max_length=200)),
                ('date', fields.DateField()),
                ('status', fields.CharField(default='open', max_length=16)),
                ('definition', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('revision', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'round', 'app': 'models', 'indexes': [Index(fields=['campaign_id', 'date'])], 'pk_attr': 'id', 'table_description': 'One field review round (拉练) with its four-paper template.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Judge',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('round', fields.ForeignKeyField('models.Round', source_field='round_id', db_constraint=True, to_field='id', related_name='judges', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=40)),
                ('name', fields.CharField(max_length=100)),
                ('position', fields.IntField()),
            ],
            options={'table': 'judge', 'app': 'models', 'unique_together': (('round', 'code'),), 'pk_attr': 'id', 'table_description': 'A judge (评委) of one round.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PaperItem',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('round', fields.ForeignKeyField('models.Round', source_field='round_id', db_constraint=True, to_field='id', related_name='items', on_delete=OnDelete.CASCADE)),
                ('paper', fields.CharField(max_length=16)),
                ('code', fields.CharField(max_length=40)),
                ('name', fields.CharField(max_length=200)),
                ('maximum', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('guide', fields.TextField(default='', unique=False)),
                ('position', fields.IntField()),
            ],
            options={'table': 'paperitem', 'app': 'models', 'unique_together': (('round', 'paper', 'code'),), 'pk_attr': 'id', 'table_description': 'A shared-target item (共性目标) or a deduction catalogue item (扣分项) of a round.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Village',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('round', fields.ForeignKeyField('models.Round', source_field='round_id', db_constraint=True, to_field='id', related_name='villages', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=40)),
                ('name', fields.CharField(max_length=100)),
                ('township', fields.CharField(max_length=100)),
                ('county', fields.CharField(max_length=100)),
                ('position', fields.IntField()),
            ],
            options={'table': 'village', 'app': 'models', 'unique_together': (('round', 'code'),), 'pk_attr': 'id', 'table_description': 'A pilot village (试点村) as visited in one round, in tour order (position).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Deduction',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('round', fields.ForeignKeyField('models.Round', source_field='round_id', db_constraint=True, to_field='id', related_name='deductions', on_delete=OnDelete.CASCADE)),
                ('village', fields.ForeignKeyField('models.Village', source_field='village_id', db_constraint=True, to_field='id', related_name='deductions', on_delete=OnDelete.CASCADE)),
                ('item', fields.CharField(max_length=40)),
                ('points', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('reason', fields.TextField(unique=False)),
                ('recorded_by', fields.CharField(max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'deduction', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A deduction (扣分) recorded against a village, with its reason and who recorded it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Recusal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('judge', fields.ForeignKeyField('models.Judge', source_field='judge_id', db_constraint=True, to_field='id', related_name='recusals', on_delete=OnDelete.CASCADE)),
                ('village', fields.ForeignKeyField('models.Village', source_field='village_id', db_constraint=True, to_field='id', related_name='recusals', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'recusal', 'app': 'models', 'unique_together': (('judge', 'village'),), 'pk_attr': 'id', 'table_description': 'A judge stays out of scoring a village (回避).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Satisfaction',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('village', fields.OneToOneField('models.Village', source_field='village_id', db_constraint=True, to_field='id', related_name='satisfaction', on_delete=OnDelete.CASCADE)),
                ('counts', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('rate', fields.DecimalField(null=True, max_digits=5, decimal_places=2)),
                ('recorded_by', fields.CharField(max_length=100)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'satisfaction', 'app': 'models', 'pk_attr': 'id', 'table_description': "A village's satisfaction survey result: answer counts, or an externally surveyed rate."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Sheet',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('round', fields.ForeignKeyField('models.Round', source_field='round_id', db_constraint=True, to_field='id', related_name='sheets', on_delete=OnDelete.CASCADE)),
                ('village', fields.ForeignKeyField('models.Village', source_field='village_id', db_constraint=True, to_field='id', related_name='sheets', on_delete=OnDelete.CASCADE)),
                ('judge', fields.ForeignKeyField('models.Judge', source_field='judge_id', db_constraint=True, to_field='id', related_name='sheets', on_delete=OnDelete.CASCADE)),
                ('paper', fields.CharField(max_length=16)),
                ('version', fields.IntField()),
                ('current', fields.BooleanField(default=True)),
                ('items', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('total', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('comment', fields.TextField(default='', unique=False)),
                ('submitted_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'sheet', 'app': 'models', 'unique_together': (('village', 'judge', 'paper', 'version'),), 'indexes': [Index(fields=['round_id', 'current'])], 'pk_attr': 'id', 'table_description': 'One judge score sheet for one village and paper, every submission adds a version.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Target',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('village', fields.ForeignKeyField('models.Village', source_field='village_id', db_constraint=True, to_field='id', related_name='targets', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=40)),
                ('name', fields.CharField(max_length=200)),
                ('maximum', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('guide', fields.TextField(default='', unique=False)),
                ('position', fields.IntField()),
            ],
            options={'table': 'target', 'app': 'models', 'unique_together': (('village', 'code'),), 'pk_attr': 'id', 'table_description': "One of a village's own demonstration targets (示范目标)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Token',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('role', fields.CharField(max_length=16)),
                ('name', fields.CharField(max_length=100)),
                ('round', fields.ForeignKeyField('models.Round', source_field='round_id', null=True, db_constraint=True, to_field='id', related_name='tokens', on_delete=OnDelete.CASCADE)),
                ('judge', fields.ForeignKeyField('models.Judge', source_field='judge_id', null=True, db_constraint=True, to_field='id', related_name='tokens', on_delete=OnDelete.CASCADE)),
                ('village', fields.ForeignKeyField('models.Village', source_field='village_id', null=True, db_constraint=True, to_field='id', related_name='tokens', on_delete=OnDelete.CASCADE)),
                ('generation', fields.IntField(default=0)),
                ('revoked', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'token', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A credential: only the SHA-256 of the secret is stored.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='IdempotencyRecord',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token', fields.ForeignKeyField('models.Token', source_field='token_id', db_constraint=True, to_field='id', related_name='idempotency', on_delete=OnDelete.CASCADE)),
                ('key', fields.CharField(max_length=128)),
                ('request_hash', fields.CharField(max_length=64)),
                ('status', fields.IntField()),
                ('response', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'idempotencyrecord', 'app': 'models', 'unique_together': (('token', 'key'),), 'pk_attr': 'id', 'table_description': 'The first answer to a write, kept so a retried write returns it and stores nothing new.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Session',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('session_hash', fields.CharField(unique=True, max_length=64)),
                ('token', fields.ForeignKeyField('models.Token', source_field='token_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'session', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A browser session opened by a personal link (HttpOnly cookie, hash stored).'},
            bases=['Model'],
        ),
    ]
