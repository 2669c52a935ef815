window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "59"
      ],
      "favorite_count" : "40",
      "id_str" : "1779000000000000001",
      "truncated" : false,
      "retweet_count" : "12",
      "id" : "1779000000000000001",
      "created_at" : "Mon Apr 13 19:04:11 +0000 2026",
      "favorited" : false,
      "full_text" : "Water truck at the school gate until 22:00\nbring containers",
      "lang" : "en",
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1779000000000000001"
          ],
          "editableUntil" : "2026-04-13T20:04:11.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      }
    }
  },
  {
    "tweet" : {
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "Tomas Reyes",
            "screen_name" : "tomas_r",
            "indices" : [
              "3",
              "11"
            ],
            "id_str" : "3355005056",
            "id" : "3355005056"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "45"
      ],
      "favorite_count" : "0",
      "id_str" : "1779000000000000007",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1779000000000000007",
      "created_at" : "Tue Apr 14 06:05:00 +0000 2026",
      "favorited" : false,
      "full_text" : "RT @tomas_r: Bridge closed from the east side",
      "lang" : "en"
    }
  }
]
