from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_reveal')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Board',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('scope_level', fields.CharField(max_length=16)),
                ('scope_name', fields.CharField(max_length=100)),
                ('period_kind', fields.CharField(max_length=16)),
                ('period_label', fields.CharField(max_length=16)),
                ('definition', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('revision', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'board', 'app': 'models', 'unique_together': (('scope_level', 'scope_name', 'period_kind', 'period_label'),), 'pk_attr': 'id', 'table_description': 'One index board: a county or city ranked for one year or quarter.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BoardFlag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('board', fields.ForeignKeyField('models.Board', source_field='board_id', db_constraint=True, to_field='id', related_name='flags', on_delete=OnDelete.CASCADE)),
                ('revision', fields.IntField()),
                ('scope', fields.CharField(max_length=16)),
                ('category', fields.CharField(max_length=16)),
                ('recipient', fields.CharField(max_length=100)),
                ('indicator', fields.CharField(max_length=40)),
                ('basis', fields.FloatField()),
                ('position', fields.IntField()),
            ],
            options={'table': 'boardflag', 'app': 'models', 'indexes': [Index(fields=['board_id', 'revision'])], 'pk_attr': 'id', 'table_description': 'A red flag (红旗村 or 红旗乡镇) awarded by the rules of a board at one revision.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BoardImport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('board', fields.ForeignKeyField('models.Board', source_field='board_id', db_constraint=True, to_field='id', related_name='imports', on_delete=OnDelete.CASCADE)),
                ('revision', fields.IntField()),
                ('filename', fields.CharField(max_length=200)),
                ('sha256', fields.CharField(max_length=64)),
                ('rows', fields.IntField()),
                ('actor', fields.CharField(max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'boardimport', 'app': 'models', 'unique_together': (('board', 'revision'),), 'pk_attr': 'id', 'table_description': 'One accepted values file of a board (the latest one holds the values of the board).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BoardIndicator',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('board', fields.ForeignKeyField('models.Board', source_field='board_id', db_constraint=True, to_field='id', related_name='indicators', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=40)),
                ('name', fields.CharField(max_length=200)),
                ('unit', fields.CharField(default='', max_length=20)),
                ('direction', fields.CharField(max_length=8)),
                ('weight', fields.FloatField()),
                ('normalisation', fields.CharField(default='minmax', max_length=16)),
                ('position', fields.IntField()),
            ],
            options={'table': 'boardindicator', 'app': 'models', 'unique_together': (('board', 'code'),), 'pk_attr': 'id', 'table_description': 'One indicator of a board, in the order of the definition.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BoardValueBlock',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('board_import', fields.ForeignKeyField('models.BoardImport', source_field='board_import_id', db_constraint=True, to_field='id', related_name='blocks', on_delete=OnDelete.CASCADE)),
                ('seq', fields.IntField()),
                ('codes', fields.TextField(unique=False)),
                ('values', fields.BinaryField()),
            ],
            options={'table': 'boardvalueblock', 'app': 'models', 'unique_together': (('board_import', 'seq'),), 'pk_attr': 'id', 'table_description': 'Up to 50,000 villages of one import: codes (one a line) and float64 values, row-major.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BoardVillage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('board', fields.ForeignKeyField('models.Board', source_field='board_id', db_constraint=True, to_field='id', related_name='villages', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=40)),
                ('name', fields.CharField(max_length=100)),
                ('township', fields.CharField(max_length=100)),
                ('county', fields.CharField(max_length=100)),
                ('cadres', fields.IntField(default=0)),
                ('position', fields.IntField()),
            ],
            options={'table': 'boardvillage', 'app': 'models', 'unique_together': (('board', 'code'),), 'indexes': [Index(fields=['name', 'township'])], 'pk_attr': 'id', 'table_description': 'A village of a board with the cadres its flags pay.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FollowUp',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('village', fields.OneToOneField('models.BoardVillage', source_field='village_id', db_constraint=True, to_field='id', related_name='follow_up', on_delete=OnDelete.CASCADE)),
                ('leader', fields.CharField(default='', max_length=100)),
                ('measures', fields.TextField(default='', unique=False)),
                ('status', fields.CharField(default='待跟进', max_length=8)),
                ('started_on', fields.DateField(null=True)),
                ('due_on', fields.DateField(null=True)),
                ('updated_by', fields.CharField(default='', max_length=100)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'followup', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The one-to-one follow-up (一对一跟进) of a village in the bottom 20 percent of a board.'},
            bases=['Model'],
        ),
    ]
